#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is bundled by `npm run build` into server/out/cli.js.
require('../server/out/cli.js');
