/**
 * The command sizers, asked in this order: the first that claims a command sizes it. Package managers
 * come first so that, e.g., `pip install` is never mistaken for a no-op.
 */
import type { CommandSizer } from './types';
import { aptSizer } from './apt';
import { copyUpSizer, negligibleSizer } from './file-commands';
import { goSizer } from './go';
import { cargoSizer } from './cargo';
import { jvmBuildSizer } from './jvm';
import { apkSizer } from './apk';
import { writesSizer } from './writes';
import { pythonSizer } from './python';
import { nodeSizer } from './node';

export const commandSizers: readonly CommandSizer[] = [
  aptSizer,
  pythonSizer,
  nodeSizer,
  goSizer,
  cargoSizer,
  jvmBuildSizer,
  apkSizer,
  writesSizer,
  copyUpSizer,
  negligibleSizer,
];
