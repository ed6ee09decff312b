/** How rules put a size into a message. */
import { formatBytes, type Figure } from '../../sizing/figure';

/** ` (~12.3 MB)` for a known, non-zero figure, else '': without an estimate the message simply has no size. */
export function sizeSuffix(figure: Figure | null | undefined): string {
  return figure && figure.bytes > 0 ? ` (~${formatBytes(figure.bytes)})` : '';
}
