/**
 * `kubectl get events`: kubectl's event table (pkg/printers/internalversion/printers.go
 * eventColumnDefinitions, printEvent): LAST SEEN, TYPE, REASON, OBJECT, MESSAGE; with -o wide
 * SUBOBJECT and SOURCE before MESSAGE and FIRST SEEN, COUNT, NAME after it. No NAME column
 * otherwise. OBJECT is the involved object's kind lower-cased, a slash and its name. kubectl get
 * does not sort events (only with --sort-by): rows come in the API's list order, namespace then
 * event name (engine/api/event-store.ts).
 */
import type { CoreEvent } from '../api/event-store.js';
import { humanDuration } from './age.js';

export const EVENT_COLUMNS = ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'];
export const EVENT_WIDE_COLUMNS = ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME'];

/** printEvent's cells. */
export function eventRow(e: CoreEvent, now: number, wide: boolean): string[] {
  const first = humanDuration(now - e.firstTimestamp);
  const last = humanDuration(now - e.lastTimestamp);
  const o = e.involvedObject;
  const target = o.name.length > 0 ? `${o.kind.toLowerCase()}/${o.name}` : o.kind.toLowerCase();
  const message = e.message.trim();
  // formatEventSource: component, then ", host" when there is one (kubesim records no host).
  const source = e.source.component ?? e.reportingComponent;
  const count = e.count === 0 ? 1 : e.count;
  return wide ? [last, e.type, e.reason, target, '', source, message, first, String(count), e.metadata.name] : [last, e.type, e.reason, target, message];
}
