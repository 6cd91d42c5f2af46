// Parse and validate Adaptive Cards with the official renderer (adaptivecards, pinned in package.json).
// Input on stdin: {"host_config": <Teams host config>, "cards": {"<name>": <card>, ...}}.
// Output on stdout: {"<name>": [{"phase", "event", "message"}, ...], ...}; a clean card has [].
// One process for all cards keeps the test fast. See ../shared/REAL-CLIENTS.md ("adaptivecards").
"use strict";
const AC = require("adaptivecards/dist/adaptivecards.js"); // the ESM entry fails on Node 20

function problems(json, hostConfig) {
  const card = new AC.AdaptiveCard();
  card.hostConfig = new AC.HostConfig(hostConfig);
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(json, context);
  const found = [];
  const report = (event) =>
    found.push({
      phase: AC.ValidationPhase[event.phase],
      event: AC.ValidationEvent[event.event],
      message: event.message,
    });
  for (let i = 0; i < context.eventCount; i++) report(context.getEventAt(i));
  card.validateProperties().validationEvents.forEach(report);
  return found;
}

const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const result = {};
for (const [name, card] of Object.entries(input.cards)) result[name] = problems(card, input.host_config);
process.stdout.write(JSON.stringify(result));
