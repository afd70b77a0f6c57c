/**
 * @dpb/transport: inboxes and outboxes as `file:///abs/path` or `sftp://user@host:port/abs/path`
 * with one semantics (docs/pipeline.md, "Run once, idempotent stages"): complete-only pick-up, archive/quarantine moves
 * that never clobber, atomic no-clobber delivery, pinned SFTP host keys, bounded timeouts.
 *
 *   await withEndpoint(url, { privateKey, knownHosts }, async (ep) => { ... });
 */
export * from './errors';
export * from './endpoint';
export { parseEndpointUrl, redactUrl, type EndpointAddress } from './endpoint-url';
export {
  parseKnownHosts,
  hostKeyFingerprint,
  checkHostKey,
  knownHostKey,
  type KnownHosts,
  type HostKeyCheck,
} from './known-hosts';
export {
  CompletenessTracker,
  judgeCompleteness,
  sameObservation,
  type CompletenessPolicy,
  type CompletenessReason,
  type CompletenessVerdict,
  type FileObservation,
  type ObservedFile,
  type StableObservation,
  type TrackerSnapshot,
} from './completeness';
export {
  ARCHIVE_DIR,
  QUARANTINE_DIR,
  DONE_SUFFIX,
  ERROR_REPORT_SUFFIX,
  archiveDir,
  isCandidateName,
  isTempName,
  isDoneMarkerName,
  nameProblem,
  nameRef,
  quarantineNameFor,
  DEFAULT_MAX_NAME_BYTES,
  type NameProblem,
} from './file-names';
export { openEndpoint, withEndpoint } from './open-endpoint';
