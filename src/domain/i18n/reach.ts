import type { Catalogue } from './index.ts';

/**
 * Texts of issue 18's ways to reach readers: Telegram inline answers and forum topics, Discord
 * announcement channels, and the outgoing webhook's sample message.
 */
export const reach: Catalogue = {
  en: {
    'inline.title.spx': 'SPX/Gold: the ratio card',
    'inline.title.qqq': 'QQQ/Gold: the ratio card',
    'inline.title.power': 'Purchasing power since 1999',
    'inline.title.powerFrom': 'Purchasing power: {dates}',
    'inline.title.chart': 'Chart: {title}',
    'inline.help.chartFirst': 'That chart is not on Telegram yet: send {command} to the bot first, then post it here.',
    'inline.help.title': 'goldratio inline',
    'inline.help.body':
      'Type spx, qqq or power after the bot’s name to post that card here: power with a date (power 2011-09-06), spx or qqq with a range or span for its chart (spx 5y, qqq 2007 2009). The commands work too: /ratio qqq, /chart spx 5y, /power 2011.',
    'inline.help.unknown': '“{query}” is not one of spx, qqq, power (or /ratio, /chart, /power).',
    'inline.help.command':
      '{command} works in a chat with the bot, not inline. Inline posts a card: spx, qqq or power (also as /ratio qqq, /chart spx 5y, /power 2011).',
    'inline.help.flood': 'Too many searches in a row: wait {seconds} s, then type again.',
    'telegram.topicMoved.toGeneral': 'Alerts come to General now, no longer to the topic they went to. To move them back, send /subscribe in that topic.',
    'telegram.topicMoved.toTopic': 'Alerts come to this topic now. To have them in General instead, send /subscribe there.',
    'telegram.digestWith.topic': 'The digest comes with the alerts, to the topic where /subscribe was sent. To have both here, send /subscribe here.',
    'telegram.digestWith.general': 'The digest comes with the alerts, to General, where /subscribe was sent. To have both here, send /subscribe here.',
    'telegram.topicGone.alerts':
      'The topic these alerts went to is closed or deleted: they come to General now. Send /subscribe in a topic to move them there.',
    'telegram.topicGone.digest':
      'The topic the daily digest went to is closed or deleted: it comes to General now. Set /digest again in a topic (with its time) to move it there.',
    'telegram.topicGone.both':
      'The topic these alerts and the daily digest went to is closed or deleted: they come to General now. Send /subscribe in a topic to move them there.',
    'telegram.topicsOff.alerts': 'Topics are off in this group: alerts come to the chat itself now, no longer to the topic they went to.',
    'telegram.topicsOff.digest': 'Topics are off in this group: the daily digest comes to the chat itself now, no longer to the topic it went to.',
    'telegram.topicsOff.both': 'Topics are off in this group: alerts and the daily digest come to the chat itself now, no longer to the topic they went to.',
    'telegram.alertsIn.topic': 'Alerts come to another topic, the one where /subscribe was sent. To have them here, send /subscribe here.',
    'telegram.alertsIn.general': 'Alerts come to General, where /subscribe was sent. To have them here, send /subscribe here.',
    'telegram.quietSummaryIn.topic':
      'The summary of alerts held in these hours comes where the alerts go: another topic, the one where /subscribe was sent. To have it here, send /subscribe here.',
    'telegram.quietSummaryIn.general':
      'The summary of alerts held in these hours comes where the alerts go: General, where /subscribe was sent. To have it here, send /subscribe here.',
    'telegram.unsubElsewhere.topic':
      'Unsubscribed for the whole group: its alerts went to another topic (where /subscribe was sent), not here, and no topic gets them now.',
    'telegram.unsubElsewhere.general':
      'Unsubscribed for the whole group: its alerts went to General (where /subscribe was sent), not here, and no topic gets them now.',
    'telegram.digestIn.topic': 'The daily digest goes to another topic, the one it was set in, not here. To have it here, send /digest {time} here.',
    'telegram.digestIn.general': 'The daily digest goes to General, where it was set, not here. To have it here, send /digest {time} here.',
    'telegram.editNotApplied':
      'Not applied: an edit changes a setting only when the command first sent in that message changed nothing (else it could apply twice). Send {command} as a new message.',
    'telegram.forwardNotApplied':
      "Not applied: {command} was forwarded here, so it may be someone else's or meant for another chat. To change this chat's settings, send {command} as a message of your own.",
    'telegram.noPhotos': 'The chart is left out: this chat does not let the bot send photos.',
    'telegram.answerInGeneral': 'This answer comes to General: the bot cannot post in the topic where the command was sent (it is closed or deleted).',
    'telegram.subscribedInGeneral':
      'Alerts come to General: the bot cannot post in the topic where /subscribe was sent. To have them in a topic, send /subscribe in one open to the bot.',
    'telegram.answeredPrivately': 'Answered here: the bot may not post in {chat}, where you sent the command.',
    'discord.missingPublish':
      "I cannot post and publish alerts in the announcement channel {channel}: I lack the {permission} permission there. A server manager can give it to me in that channel's settings (Edit Channel → Permissions); then send {command} again. Nothing was changed.",
    'webhook.test.alertTitle': 'Test: {title}',
    'webhook.test.latest': 'goldratio webhook test: the latest alert, sent again to show how alerts arrive here. Nothing new has happened.',
    'webhook.test.madeUp': 'goldratio webhook test: a made-up alert, to show how alerts arrive here. No such break happened.',
    'webhook.test.digest': 'goldratio webhook test: the latest digest, sent again to show how digests arrive here. It is not a new one.',
  },
  'zh-TW': {
    'inline.title.spx': '標普500/黃金：比率卡',
    'inline.title.qqq': 'QQQ/黃金：比率卡',
    'inline.title.power': '1999年以來的購買力',
    'inline.title.powerFrom': '購買力：{dates}',
    'inline.title.chart': '圖表：{title}',
    'inline.help.chartFirst': '這張圖表還不在 Telegram 上：請先對機器人傳送 {command}，再貼到這裡。',
    'inline.help.title': 'goldratio 內嵌查詢',
    'inline.help.body':
      '在機器人名稱後輸入 spx（標普）、qqq（納指）或 power（購買力），即可把該卡片貼到這裡：power 可加日期（power 2011-09-06、購買力 2011），spx 或 qqq 可加區間或期間，貼出圖表（spx 5y、納指 2007 2009）。也可輸入指令：/ratio qqq、/chart spx 5y、/power 2011，或中文指令，例如「比率 spx」。',
    'inline.help.unknown': '「{query}」不是 spx（標普）、qqq（納指）、power（購買力）之一，也不是 /ratio、/chart、/power 指令。',
    'inline.help.command':
      '{command} 需在與機器人的聊天中使用，無法用於內嵌查詢。內嵌查詢可貼出卡片：spx、qqq 或 power（也可輸入 /ratio qqq、/chart spx 5y、/power 2011）。',
    'inline.help.flood': '查詢太頻繁了：請等待 {seconds} 秒後再輸入。',
    'telegram.topicMoved.toGeneral': '通知改發到「一般」（General）話題，不再發往原本的話題。若要改回，請在該話題中傳送 /subscribe。',
    'telegram.topicMoved.toTopic': '通知之後發到這個話題。若要改發到「一般」（General）話題，請在「一般」話題傳送 /subscribe。',
    'telegram.digestWith.topic': '摘要會和通知一起發到傳送 /subscribe 的那個話題。若要兩者都改發到這裡，請在這裡傳送 /subscribe。',
    'telegram.digestWith.general': '摘要會和通知一起發到「一般」（General）話題（傳送 /subscribe 的地方）。若要兩者都改發到這裡，請在這裡傳送 /subscribe。',
    'telegram.topicGone.alerts': '這些通知原本發往的話題已關閉或刪除：之後改發到「一般」（General）話題。在話題中傳送 /subscribe 可改回話題。',
    'telegram.topicGone.digest': '每日摘要原本發往的話題已關閉或刪除：之後改發到「一般」（General）話題。在話題中重新設定 /digest（附上時間）可改回話題。',
    'telegram.topicGone.both': '這些通知與每日摘要原本發往的話題已關閉或刪除：之後改發到「一般」（General）話題。在話題中傳送 /subscribe 可改回話題。',
    'telegram.topicsOff.alerts': '這個群組已關閉話題功能：通知改發到群組本身，不再發往原本的話題。',
    'telegram.topicsOff.digest': '這個群組已關閉話題功能：每日摘要改發到群組本身，不再發往原本的話題。',
    'telegram.topicsOff.both': '這個群組已關閉話題功能：通知與每日摘要改發到群組本身，不再發往原本的話題。',
    'telegram.alertsIn.topic': '通知發到另一個話題（傳送 /subscribe 的那個話題）。若要改發到這裡，請在這裡傳送 /subscribe。',
    'telegram.alertsIn.general': '通知發到「一般」（General）話題（傳送 /subscribe 的地方）。若要改發到這裡，請在這裡傳送 /subscribe。',
    'telegram.quietSummaryIn.topic':
      '勿擾時段內暫存的通知，其彙整會發到通知所在之處：另一個話題（傳送 /subscribe 的那個話題）。若要改發到這裡，請在這裡傳送 /subscribe。',
    'telegram.quietSummaryIn.general':
      '勿擾時段內暫存的通知，其彙整會發到通知所在之處：「一般」（General）話題（傳送 /subscribe 的地方）。若要改發到這裡，請在這裡傳送 /subscribe。',
    'telegram.unsubElsewhere.topic': '已為整個群組取消訂閱：通知原本發到另一個話題（傳送 /subscribe 的那個話題），不是這裡；現在任何話題都不會再收到通知。',
    'telegram.unsubElsewhere.general':
      '已為整個群組取消訂閱：通知原本發到「一般」（General）話題（傳送 /subscribe 的地方），不是這裡；現在任何話題都不會再收到通知。',
    'telegram.digestIn.topic': '每日摘要發到另一個話題（設定它的那個話題），不是這裡。若要改發到這裡，請在這裡傳送 /digest {time}。',
    'telegram.digestIn.general': '每日摘要發到「一般」（General）話題（設定它的地方），不是這裡。若要改發到這裡，請在這裡傳送 /digest {time}。',
    'telegram.editNotApplied': '未套用：只有當這則訊息原本的指令未變更任何設定時，編輯後的指令才會套用（以免重複套用）。請以新訊息傳送 {command}。',
    'telegram.forwardNotApplied': '未套用：{command} 是轉傳過來的訊息，可能出自他人，或原本是給其他聊天室的。若要變更這裡的設定，請自行傳送 {command}。',
    'telegram.noPhotos': '本聊天室不允許機器人傳送圖片，因此略去圖表。',
    'telegram.answerInGeneral': '機器人無法在您傳送指令的話題中發文（該話題已關閉或刪除），因此改在「一般」（General）話題回覆。',
    'telegram.subscribedInGeneral':
      '通知發到「一般」（General）話題：機器人無法在傳送 /subscribe 的話題中發文。若要發到某個話題，請在機器人可發文的話題中傳送 /subscribe。',
    'telegram.answeredPrivately': '機器人無法在您傳送指令的「{chat}」發文，因此改在這裡回覆您。',
    'discord.missingPublish':
      '我無法在公告頻道 {channel} 發送並發布通知：缺少「{permission}」權限。請伺服器管理員在該頻道的設定（編輯頻道 → 權限）中授予我此權限，再傳送一次 {command}。設定未變更。',
    'webhook.test.alertTitle': '測試：{title}',
    'webhook.test.latest': 'goldratio webhook 測試：再次傳送最近一則通知，讓您看看通知送到這裡的樣子；並沒有新的狀況。',
    'webhook.test.madeUp': 'goldratio webhook 測試：一則虛構的通知，讓您看看通知送到這裡的樣子；並沒有發生這次突破或跌破。',
    'webhook.test.digest': 'goldratio webhook 測試：再次傳送最近一份摘要，讓您看看摘要送到這裡的樣子；這不是新的一份。',
  },
  'zh-CN': {
    'inline.title.spx': '标普500/黄金：比率卡',
    'inline.title.qqq': 'QQQ/黄金：比率卡',
    'inline.title.power': '1999年以来的购买力',
    'inline.title.powerFrom': '购买力：{dates}',
    'inline.title.chart': '图表：{title}',
    'inline.help.chartFirst': '这张图表还不在 Telegram 上：请先向机器人发送 {command}，再发到这里。',
    'inline.help.title': 'goldratio 内联查询',
    'inline.help.body':
      '在机器人名称后输入 spx（标普）、qqq（纳指）或 power（购买力），即可把该卡片发到这里：power 可加日期（power 2011-09-06、购买力 2011），spx 或 qqq 可加区间或时间段，发出图表（spx 5y、纳指 2007 2009）。也可输入命令：/ratio qqq、/chart spx 5y、/power 2011，或中文命令，例如“比率 spx”。',
    'inline.help.unknown': '“{query}”不是 spx（标普）、qqq（纳指）、power（购买力）之一，也不是 /ratio、/chart、/power 命令。',
    'inline.help.command':
      '{command} 需在与机器人的聊天中使用，不能用于内联查询。内联查询可发出卡片：spx、qqq 或 power（也可输入 /ratio qqq、/chart spx 5y、/power 2011）。',
    'inline.help.flood': '查询太频繁了：请等待 {seconds} 秒后再输入。',
    'telegram.topicMoved.toGeneral': '提醒改发到“常规”（General）话题，不再发往原来的话题。如需改回，请在该话题中发送 /subscribe。',
    'telegram.topicMoved.toTopic': '提醒之后发到这个话题。如需改发到“常规”（General）话题，请在“常规”话题发送 /subscribe。',
    'telegram.digestWith.topic': '摘要会和提醒一起发到发送 /subscribe 的那个话题。如需两者都改发到这里，请在这里发送 /subscribe。',
    'telegram.digestWith.general': '摘要会和提醒一起发到“常规”（General）话题（发送 /subscribe 的地方）。如需两者都改发到这里，请在这里发送 /subscribe。',
    'telegram.topicGone.alerts': '这些提醒原本发往的话题已关闭或删除：之后改发到“常规”（General）话题。在话题中发送 /subscribe 可改回话题。',
    'telegram.topicGone.digest': '每日摘要原本发往的话题已关闭或删除：之后改发到“常规”（General）话题。在话题中重新设置 /digest（附上时间）可改回话题。',
    'telegram.topicGone.both': '这些提醒和每日摘要原本发往的话题已关闭或删除：之后改发到“常规”（General）话题。在话题中发送 /subscribe 可改回话题。',
    'telegram.topicsOff.alerts': '本群已关闭话题功能：提醒改发到群聊本身，不再发往原来的话题。',
    'telegram.topicsOff.digest': '本群已关闭话题功能：每日摘要改发到群聊本身，不再发往原来的话题。',
    'telegram.topicsOff.both': '本群已关闭话题功能：提醒和每日摘要改发到群聊本身，不再发往原来的话题。',
    'telegram.alertsIn.topic': '提醒发到另一个话题（发送 /subscribe 的那个话题）。如需改发到这里，请在这里发送 /subscribe。',
    'telegram.alertsIn.general': '提醒发到“常规”（General）话题（发送 /subscribe 的地方）。如需改发到这里，请在这里发送 /subscribe。',
    'telegram.quietSummaryIn.topic':
      '免打扰时段内暂存的提醒，其汇总会发到提醒所在之处：另一个话题（发送 /subscribe 的那个话题）。如需改发到这里，请在这里发送 /subscribe。',
    'telegram.quietSummaryIn.general':
      '免打扰时段内暂存的提醒，其汇总会发到提醒所在之处：“常规”（General）话题（发送 /subscribe 的地方）。如需改发到这里，请在这里发送 /subscribe。',
    'telegram.unsubElsewhere.topic': '已为整个群组取消订阅：提醒原本发到另一个话题（发送 /subscribe 的那个话题），不是这里；现在任何话题都不会再收到提醒。',
    'telegram.unsubElsewhere.general':
      '已为整个群组取消订阅：提醒原本发到“常规”（General）话题（发送 /subscribe 的地方），不是这里；现在任何话题都不会再收到提醒。',
    'telegram.digestIn.topic': '每日摘要发到另一个话题（设置它的那个话题），不是这里。如需改发到这里，请在这里发送 /digest {time}。',
    'telegram.digestIn.general': '每日摘要发到“常规”（General）话题（设置它的地方），不是这里。如需改发到这里，请在这里发送 /digest {time}。',
    'telegram.editNotApplied': '未生效：只有当这条消息原来的命令没有更改任何设置时，编辑后的命令才会生效（以免重复生效）。请以新消息发送 {command}。',
    'telegram.forwardNotApplied': '未生效：{command} 是转发过来的消息，可能出自他人，或原本是发给其他聊天的。如需更改这里的设置，请自己发送 {command}。',
    'telegram.noPhotos': '本聊天不允许机器人发送图片，因此略去图表。',
    'telegram.answerInGeneral': '机器人无法在您发送命令的话题中发言（该话题已关闭或删除），因此改在“常规”（General）话题回复。',
    'telegram.subscribedInGeneral':
      '提醒发到“常规”（General）话题：机器人无法在发送 /subscribe 的话题中发言。如需发到某个话题，请在机器人可发言的话题中发送 /subscribe。',
    'telegram.answeredPrivately': '机器人无法在您发送命令的“{chat}”发消息，因此改在这里回复您。',
    'discord.missingPublish':
      '我无法在公告频道 {channel} 发送并发布提醒：缺少“{permission}”权限。请服务器管理员在该频道的设置（编辑频道 → 权限）中授予我此权限，然后再发送一次 {command}。设置未更改。',
    'webhook.test.alertTitle': '测试：{title}',
    'webhook.test.latest': 'goldratio webhook 测试：再次发送最近一条提醒，让您看看提醒发到这里的样子；并没有新情况。',
    'webhook.test.madeUp': 'goldratio webhook 测试：一条虚构的提醒，让您看看提醒发到这里的样子；并没有发生这次突破或跌破。',
    'webhook.test.digest': 'goldratio webhook 测试：再次发送最近一份摘要，让您看看摘要发到这里的样子；这不是新的一份。',
  },
};
