import type { TrafficRecord } from '../types.js';

/**
 * Well-known scanner probes, tried against requests that matched no known endpoint (case-insensitive). Each gives the
 * reason recorded in `noise.byReason` and on the template.
 */
const PROBES: [RegExp, string][] = [
  [/^\/(wp-login\.php|wp-admin|wp-content|wp-includes|wp-json|xmlrpc\.php|wordpress|wp)(\/|$)/i, 'probe: wordpress'],
  // dotfiles and VCS metadata (`/.env`, `/.git/config`, `/.aws/credentials`), anywhere in the path; not `.well-known`
  [/(^|\/)\.(?!well-known(\/|$))[^/]/i, 'probe: dotfile'],
  [/(^|\/)(phpmyadmin[^/]*|pma|myadmin|mysqladmin|adminer(\.php)?)(\/|$)/i, 'probe: database admin'],
  [/\.(php\d?|phtml|asp|aspx|jsp|cgi|pl|cfm|action)(\/|$)/i, 'probe: script extension'],
  [/(^|\/)cgi-bin(\/|$)/i, 'probe: cgi'],
  [/^\/(actuator|server-status|server-info|jolokia|jmx-console|web-console|manager\/html|solr|druid|telescope|_ignition|hnap1|boaform|owa|autodiscover|ecp|remote\/login|vendor\/phpunit|console|geoserver|struts|axis2|invoker)(\/|$)/i, 'probe: admin console'],
  [/\.(sql|bak|old|orig|swp|sqlite|sqlite3|ini|pem|key)$/i, 'probe: backup or config file'],
  // archives at the root: `/backup.zip`, `/www.tar.gz`
  [/^\/[^/]+\.(zip|tar|tgz|tar\.gz|rar|7z)$/i, 'probe: backup or config file'],
];

/** The probe reason for a path, if it is one. */
export function probeReason(path: string): string | undefined {
  for (const [re, reason] of PROBES) if (re.test(path)) return reason;
  return undefined;
}

export const STORM_REASON = '404 storm';
/** Clients with unmatched 404s tracked at once. */
const MAX_CLIENTS = 50_000;

interface ClientState {
  paths: Set<string>;
  buffer: TrafficRecord[];
  storm: boolean;
}

/**
 * 404 storms: one client (session, or IP) answered 404 on many distinct unmatched paths. Its first unmatched 404s are
 * held back (at most `2 × minPaths` records per client; beyond that the oldest is released as ordinary traffic) until
 * the client reaches `minPaths` distinct paths: then they, and every later unmatched 404 of that client, are noise. At
 * the end the held-back records of clients that never stormed are released. Memory: per client with unmatched 404s,
 * at most `minPaths` paths and `2 × minPaths` records.
 */
export class StormDetector {
  private readonly clients = new Map<string, ClientState>();
  constructor(private readonly minPaths: number) {}

  /**
   * Takes an unmatched 404 of client `sid`. Calls `noise` for the records now known to be a storm and `release` for
   * the ones no longer held back.
   */
  take(sid: string, r: TrafficRecord, noise: (r: TrafficRecord) => void, release: (r: TrafficRecord) => void): void {
    let st = this.clients.get(sid);
    if (!st) {
      // bounded: past MAX_CLIENTS, the client tracked longest that never stormed is let go (its 404s released)
      if (this.clients.size >= MAX_CLIENTS) {
        for (const [k, old] of this.clients) {
          if (old.storm) continue;
          for (const b of old.buffer) release(b);
          this.clients.delete(k);
          break;
        }
      }
      this.clients.set(sid, (st = { paths: new Set(), buffer: [], storm: false }));
    }
    if (st.storm) {
      noise(r);
      return;
    }
    st.buffer.push({ ...r });
    st.paths.add(r.method + ' ' + r.path);
    if (st.paths.size >= this.minPaths) {
      st.storm = true;
      for (const b of st.buffer) noise(b);
      st.buffer = [];
      st.paths = new Set();
      return;
    }
    if (st.buffer.length > 2 * this.minPaths) release(st.buffer.shift()!);
  }

  /** Releases everything still held back. */
  flush(release: (r: TrafficRecord) => void): void {
    for (const st of this.clients.values()) {
      for (const b of st.buffer) release(b);
      st.buffer = [];
    }
  }

  get storms(): number {
    let n = 0;
    for (const st of this.clients.values()) if (st.storm) n++;
    return n;
  }
}
