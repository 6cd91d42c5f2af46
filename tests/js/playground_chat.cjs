// Talk to the bot through a running Microsoft 365 Agents Playground, without a browser, through its internal
// API (0.2.28, ../shared/REAL-CLIENTS.md): send one user message, collect the bot's replies from the WebSocket.
// Usage: node --experimental-websocket playground_chat.cjs PORT CHAT REPLIES TIMEOUT_MS TEXT
//   CHAT: "personal", or the name of a channel of the Playground's team (its .m365agentsplayground.yml),
//   where the message @mentions the bot.
// Output on stdout: a JSON list of the bot's messages ({messageId, conversationId, text, attachments, …}), in order
// of arrival; `conversationId` is where a card's button is clicked (playground_submit.cjs): in a channel, the
// thread the message started.
"use strict";
const { openReplies, printReplies } = require("./playground_replies.cjs");
const [port, chat, replies, timeoutMs, text] = process.argv.slice(2);
const base = `http://127.0.0.1:${port}`;

function fail(message) {
  process.stderr.write(`playground_chat: ${message}\n`);
  process.exit(1);
}

async function main() {
  const config = (await (await fetch(`${base}/_internal/v1/config`)).json()).config;
  let chatId = config.personalChat.id;
  if (chat !== "personal") {
    const channel = config.teams.flatMap((team) => team.channels).find((c) => c.name === chat);
    if (!channel) fail(`no channel named ${JSON.stringify(chat)} in the Playground's config`);
    chatId = channel.id;
  }
  const stream = await openReplies(port, config.bot.id, replies);
  // In a channel, as in Teams, the bot only hears messages that @mention it.
  const mention = `<at>${config.bot.name}</at>`;
  const message = chat === "personal"
    ? { from: { id: config.currentUser.id }, text, textFormat: "plain" }
    : { from: { id: config.currentUser.id }, text: `${mention} ${text}`, textFormat: "plain",
        mentions: [{ mentioned: { id: config.bot.id }, text: mention }] };
  const sent = await fetch(`${base}/_conversation/v1/conversations/${encodeURIComponent(chatId)}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(message),
  });
  if (!sent.ok) fail(`the Playground answered ${sent.status} to the message: ${await sent.text()}`);
  await printReplies(stream, replies, timeoutMs, fail);
}

main().catch((error) => fail(error.message));
