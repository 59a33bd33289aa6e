import type { Catalogue } from './index.ts';

/**
 * Texts only the Discord adapter says: its own /subscribe options, the embed footer, the bot's
 * missing permissions (named as Discord's own client names them in that language).
 */
export const discord: Catalogue = {
  en: {
    'discord.opt.channel': 'The channel that gets the alerts (default: this one)',
    'discord.opt.role': 'A role to mention with each alert',
    'discord.optname.channel': 'channel',
    'discord.optname.role': 'role',
    'discord.missingPermission': 'I cannot post alerts in {channel}: I lack the {permission} permission there. Nothing was changed.',
    'discord.notText': '{channel} is not a text channel I can post in. Nothing was changed.',
    'discord.source': 'Source: {source} · data {age} old',
    'discord.change': '{value} ({change})',
    'discord.perm.ViewChannel': 'View Channel',
    'discord.perm.SendMessages': 'Send Messages',
    'discord.perm.EmbedLinks': 'Embed Links',
    'discord.perm.AttachFiles': 'Attach Files',
    'discord.unknownCommand': 'goldratio no longer has /{command}. Type / to see its commands.',
    'discord.noChoice': 'Nothing was chosen: pick one of the options.',
  },
  'zh-TW': {
    'discord.opt.channel': '接收通知的頻道（預設：本頻道）',
    'discord.opt.role': '每則通知要提及的身分組',
    'discord.optname.channel': '頻道',
    'discord.optname.role': '身分組',
    'discord.missingPermission': '我無法在 {channel} 發送通知：缺少「{permission}」權限。設定未變更。',
    'discord.notText': '{channel} 不是我能發文的文字頻道。設定未變更。',
    'discord.source': '資料來源：{source} · 資料為 {age}前',
    'discord.change': '{value}（{change}）',
    'discord.perm.ViewChannel': '檢視頻道',
    'discord.perm.SendMessages': '發送訊息',
    'discord.perm.EmbedLinks': '嵌入連結',
    'discord.perm.AttachFiles': '附加檔案',
    'discord.unknownCommand': 'goldratio 已不再提供 /{command}。請輸入 / 查看目前的指令。',
    'discord.noChoice': '未選擇任何項目：請從選項中挑選一項。',
  },
  'zh-CN': {
    'discord.opt.channel': '接收提醒的频道（默认：本频道）',
    'discord.opt.role': '每条提醒要提及的身份组',
    'discord.optname.channel': '频道',
    'discord.optname.role': '身份组',
    'discord.missingPermission': '我无法在 {channel} 发送提醒：缺少“{permission}”权限。设置未更改。',
    'discord.notText': '{channel} 不是我能发帖的文字频道。设置未更改。',
    'discord.source': '数据来源：{source} · 数据为 {age}前',
    'discord.change': '{value}（{change}）',
    'discord.perm.ViewChannel': '查看频道',
    'discord.perm.SendMessages': '发送消息',
    'discord.perm.EmbedLinks': '嵌入链接',
    'discord.perm.AttachFiles': '附加文件',
    'discord.unknownCommand': 'goldratio 已不再提供 /{command}。请输入 / 查看当前的命令。',
    'discord.noChoice': '未选择任何项目：请从选项中选择一项。',
  },
};
