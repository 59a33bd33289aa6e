import type { Catalogue } from './index.ts';

/**
 * Texts only the Discord adapter says: a stale command, an empty choice, the bot's
 * missing permissions (named as Discord's own client names them in that language).
 */
export const discord: Catalogue = {
  en: {
    'discord.missingPermission':
      "I cannot post alerts in {channel}: I lack the {permission} permission there. A server manager can give it to me in that channel's settings (Edit Channel → Permissions); then send {command} again. Nothing was changed.",
    'discord.notInServer':
      'I cannot post alerts in {channel}: goldratio was added to this server with its commands only, without its bot. A server manager can add the bot with this link, which grants it {permissions}: {link} Then send {command} again. Nothing was changed.',
    'discord.notText': '{channel} is not a text channel I can post in. Nothing was changed.',
    'discord.checkFailed':
      'I could not check whether I can post in {channel}: Discord could not answer just now. Nothing was changed; send {command} again in a moment.',
    'discord.channelGone': 'I cannot find {channel}: it seems to have been deleted. Pick another channel. Nothing was changed.',
    'discord.aboutChannel': 'For {channel}, whose alerts these are:',
    'discord.roleEveryone':
      'Alerts cannot mention @everyone through a role: Discord would show “@@everyone” and notify nobody. Pick another role, one the members who want the alerts have; to mention no role, send /unsubscribe, then /subscribe without one. Nothing was changed.',
    'discord.perm.ViewChannel': 'View Channel',
    'discord.perm.SendMessages': 'Send Messages',
    'discord.perm.SendMessagesInThreads': 'Send Messages in Threads and Posts',
    'discord.perm.EmbedLinks': 'Embed Links',
    'discord.perm.AttachFiles': 'Attach Files',
    'discord.perm.MentionEveryone': 'Mention @everyone, @here, and All Roles',
    'discord.roleNotMentionable':
      'Note: {role} is not mentionable and I lack the {permission} permission here, so alerts will show it but notify nobody. Make the role mentionable (Server Settings → Roles) or give me that permission.',
    'discord.noFiles': 'The chart is left out: the bot may not attach files in this channel.',
    'discord.noEmbeds': 'Shown as plain text: the bot may not embed links in this channel (Embed Links).',
    'discord.noFilesAhead': 'Note: I lack the {permission} permission in {channel}, so its alerts may come without their chart until I have it.',
    'discord.noEmbedsAhead': 'Note: I lack the {permission} permission in {channel}, so its alerts will come as plain text until I have it.',
    'discord.unknownCommand': 'goldratio no longer has /{command}. Type / to see its commands.',
    'discord.noChoice': 'Nothing was chosen: pick one of the options.',
  },
  'zh-TW': {
    'discord.missingPermission':
      '我無法在 {channel} 發送通知：缺少「{permission}」權限。請伺服器管理員在該頻道的設定（編輯頻道 → 權限）中授予我此權限，再傳送一次 {command}。設定未變更。',
    'discord.notInServer':
      '我無法在 {channel} 發送通知：goldratio 加入這個伺服器時只加入了指令，沒有加入機器人。請伺服器管理員透過此連結加入機器人，連結會要求{permissions}權限：{link} 完成後請再傳送一次 {command}。設定未變更。',
    'discord.notText': '{channel} 不是我能發文的文字頻道。設定未變更。',
    'discord.checkFailed': '我無法確認能否在 {channel} 發送通知：Discord 暫時無法回應。設定未變更，請稍後再傳送一次 {command}。',
    'discord.channelGone': '找不到 {channel}：該頻道似乎已被刪除。請改選其他頻道。設定未變更。',
    'discord.aboutChannel': '以下是 {channel} 的通知設定：',
    'discord.roleEveryone':
      '通知無法以身分組提及 @everyone：Discord 會顯示為「@@everyone」，且不會通知任何人。請改選其他身分組，例如想收到通知的成員所屬的身分組；若不想提及任何身分組，請先傳送 /unsubscribe，再不帶身分組傳送 /subscribe。設定未變更。',
    'discord.perm.ViewChannel': '檢視頻道',
    'discord.perm.SendMessages': '發送訊息',
    'discord.perm.SendMessagesInThreads': '在討論串和貼文中發送訊息',
    'discord.perm.EmbedLinks': '嵌入連結',
    'discord.perm.AttachFiles': '附加檔案',
    'discord.perm.MentionEveryone': '提及 @everyone、@here 和所有身分組',
    'discord.roleNotMentionable':
      '提醒：{role} 未開放提及，而我在這裡缺少「{permission}」權限，因此通知會顯示該身分組，但不會通知任何人。請在伺服器設定 → 身分組中允許任何人提及此身分組，或授予我該權限。',
    'discord.noFiles': '此頻道不允許機器人附加檔案，因此略去圖表。',
    'discord.noEmbeds': '此頻道不允許機器人嵌入連結（嵌入連結權限），因此以純文字顯示。',
    'discord.noFilesAhead': '提醒：我在 {channel} 缺少「{permission}」權限，在取得權限前，該頻道的通知可能不附圖表。',
    'discord.noEmbedsAhead': '提醒：我在 {channel} 缺少「{permission}」權限，在取得權限前，該頻道的通知將以純文字顯示。',
    'discord.unknownCommand': 'goldratio 已不再提供 /{command}。請輸入 / 查看目前的指令。',
    'discord.noChoice': '未選擇任何項目：請從選項中挑選一項。',
  },
  'zh-CN': {
    'discord.missingPermission':
      '我无法在 {channel} 发送提醒：缺少“{permission}”权限。请服务器管理员在该频道的设置（编辑频道 → 权限）中授予我此权限，然后再发送一次 {command}。设置未更改。',
    'discord.notInServer':
      '我无法在 {channel} 发送提醒：goldratio 添加到这个服务器时只添加了命令，没有添加机器人。请服务器管理员通过此链接添加机器人，链接会申请{permissions}权限：{link} 完成后请再发送一次 {command}。设置未更改。',
    'discord.notText': '{channel} 不是我能发消息的文字频道。设置未更改。',
    'discord.checkFailed': '我无法确认能否在 {channel} 发送提醒：Discord 暂时无法响应。设置未更改，请稍后再发送一次 {command}。',
    'discord.channelGone': '找不到 {channel}：该频道似乎已被删除。请改选其他频道。设置未更改。',
    'discord.aboutChannel': '以下是 {channel} 的提醒设置：',
    'discord.roleEveryone':
      '提醒无法以身份组提及 @everyone：Discord 会显示为“@@everyone”，且不会通知任何人。请改选其他身份组，例如想接收提醒的成员所属的身份组；如不想提及任何身份组，请先发送 /unsubscribe，再不带身份组发送 /subscribe。设置未更改。',
    'discord.perm.ViewChannel': '查看频道',
    'discord.perm.SendMessages': '发送消息',
    'discord.perm.SendMessagesInThreads': '在子区和帖子中发送消息',
    'discord.perm.EmbedLinks': '嵌入链接',
    'discord.perm.AttachFiles': '附加文件',
    'discord.perm.MentionEveryone': '提及 @everyone、@here 和所有身份组',
    'discord.roleNotMentionable':
      '注意：{role} 未开启提及，而我在这里缺少“{permission}”权限，因此提醒会显示该身份组，但不会通知任何人。请在服务器设置 → 身份组中允许任何人提及此身份组，或授予我该权限。',
    'discord.noFiles': '此频道不允许机器人附加文件，因此略去图表。',
    'discord.noEmbeds': '此频道不允许机器人嵌入链接（嵌入链接权限），因此以纯文本显示。',
    'discord.noFilesAhead': '注意：我在 {channel} 缺少“{permission}”权限，在获得权限前，该频道的提醒可能不附图表。',
    'discord.noEmbedsAhead': '注意：我在 {channel} 缺少“{permission}”权限，在获得权限前，该频道的提醒将以纯文本显示。',
    'discord.unknownCommand': 'goldratio 已不再提供 /{command}。请输入 / 查看当前的命令。',
    'discord.noChoice': '未选择任何项目：请从选项中选择一项。',
  },
};
