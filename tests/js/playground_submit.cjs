// Click an Adaptive Card's Action.Submit button through a running Microsoft 365 Agents Playground, without a
// browser: POST /_conversation/v1/submit, the route its own web UI calls for Action.Submit (0.2.28; the UI sends
// {conversation: {id}, replyToId, value, from}). The Playground turns it into what Teams sends: a message
// activity whose `value` is the button's `data`, `replyToId` the card's message, in the card's conversation
// (a channel thread's "…;messageid=…" id, with channelData.team and channelData.channel). Collects the bot's
// replies from the WebSocket, like playground_chat.cjs.
// Usage: node --experimental-websocket playground_submit.cjs PORT CONVERSATION_ID CARD_MESSAGE_ID REPLIES TIMEOUT_MS DATA_JSON
// Output on stdout: a JSON list of the bot's messages ({messageId, conversationId, text, attachments, …}).
"use strict";
const { openReplies, printReplies } = require("./playground_replies.cjs");
const [port, conversationId, cardMessageId, replies, timeoutMs, data] = process.argv.slice(2);
const base = `http://127.0.0.1:${port}`;

function fail(message) {
  process.stderr.write(`playground_submit: ${message}\n`);
  process.exit(1);
}

async function main() {
  const config = (await (await fetch(`${base}/_internal/v1/config`)).json()).config;
  const stream = await openReplies(port, config.bot.id, replies);
  const submit = {
    conversation: { id: conversationId },
    from: { id: config.currentUser.id },
    replyToId: cardMessageId,
    value: JSON.parse(data),
  };
  const sent = await fetch(`${base}/_conversation/v1/submit`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(submit),
  });
  if (!sent.ok) fail(`the Playground answered ${sent.status} to the submit: ${await sent.text()}`);
  await printReplies(stream, replies, timeoutMs, fail);
}

main().catch((error) => fail(error.message));
