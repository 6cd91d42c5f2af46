// The bot's replies as a running Microsoft 365 Agents Playground streams them over its WebSocket, shared by
// playground_chat.cjs (typed messages) and playground_submit.cjs (card button clicks).
"use strict";

// Open the stream before sending anything, so no reply is missed. Resolves to {received, done, close}:
// `done` settles once `replies` messages from the bot have arrived.
async function openReplies(port, botId, replies) {
  const received = [];
  const socket = new WebSocket(`ws://127.0.0.1:${port}/_ws_conversation/v1/conversations/stream`);
  const done = new Promise((resolve) => {
    socket.onmessage = (event) => {
      const update = JSON.parse(event.data);
      if (process.env.PLAYGROUND_CHAT_DEBUG) process.stderr.write(`${event.data}\n`);
      if (update.action === "createMessage" && update.message.from && update.message.from.id === botId) {
        received.push({ ...update.message, conversationId: update.actionConversationId });
        if (received.length >= Number(replies)) resolve();
      }
    };
  });
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = () => reject(new Error("cannot open the Playground's WebSocket"));
  });
  return { received, done, close: () => socket.close() };
}

// Wait for the replies (or fail after `timeoutMs`), then print them as JSON on stdout.
async function printReplies(stream, replies, timeoutMs, fail) {
  const timer = setTimeout(
    () => fail(`${stream.received.length} of ${replies} replies within ${timeoutMs} ms`),
    Number(timeoutMs),
  );
  await stream.done;
  clearTimeout(timer);
  stream.close();
  process.stdout.write(JSON.stringify(stream.received));
}

module.exports = { openReplies, printReplies };
