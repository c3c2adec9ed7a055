// The outcomes that end a run or a request on purpose, thrown and caught across the engine: stop, start over,
// fail, wait for credentials, stalled, or the server already has it.

/** Why a run stopped on purpose (not a failure). */
export class Stop extends Error {
  constructor(readonly why: 'pause' | 'cancel' | 'remove' | 'close') {
    super(`stopped: ${why}`);
  }
}
/** The file must start over as a new video. */
export class Restart extends Error {}
/** The file fails with this reason. */
export class Failure extends Error {}
/** The job's profile has no credentials this session: its jobs wait for them (see credentialsChanged). */
export class NoCredentials extends Error {}
/** A request moved no bytes for too long. */
export class StallError extends Error {}
/** The server already holds this part, or the whole source. */
export class ServerHas extends Error {
  constructor(readonly what: 'already-have' | 'source-complete') {
    super(what);
  }
}
