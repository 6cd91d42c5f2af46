// Validate a Teams app manifest offline against the official schema its $schema names, with Microsoft's
// @microsoft/app-manifest (it bundles the schemas v1.0–v1.30; ../shared/REAL-CLIENTS.md).
// Input on stdin: the manifest JSON. Output on stdout: the list of schema errors ([] when valid).
"use strict";
const { AppManifestUtils } = require("@microsoft/app-manifest");

const manifest = JSON.parse(require("fs").readFileSync(0, "utf8"));
AppManifestUtils.validateAgainstSchema(manifest)
  .then((errors) => process.stdout.write(JSON.stringify(errors)))
  .catch((error) => {
    process.stderr.write(`validate_manifest: ${error.message}\n`);
    process.exit(1);
  });
