import type { Endpoint, Finding, Notification, SpecDocument } from '../model.js';
import type { Rule } from '../rules/engine.js';
import type { TrafficReport } from '../traffic/stage.js';
import type { BaselineInfo } from '../baseline/baseline.js';
import type { SuppressedFinding } from '../baseline/suppress.js';

/** What every reporter receives: findings already filtered by --min-severity. */
export interface ReportInput {
  toolVersion: string;
  frameworks: string[];
  inventory: Endpoint[];
  findings: Finding[];
  notifications: Notification[];
  specs: SpecDocument[];
  rules: Rule[];
  /** SARIF `automationDetails.id`, only when the user passes a category. */
  category?: string;
  color?: boolean;
  /** Present when access logs were read. */
  traffic?: TrafficReport;
  /** Present with --baseline / --baseline-ref: `findings` then holds only the new ones. */
  baseline?: BaselineInfo;
  /** Findings left out by an inline or spec suppression (listed in JSON; in SARIF only with `showSuppressed`). */
  suppressed?: SuppressedFinding[];
  showSuppressed?: boolean;
}
