// Contract: watch folders (folders Convoy keeps uploading from as files arrive): their list, state and controls.
// Channels are named `watch.*`; common/api.ts merges them into the bridge.

export const watchRequests = {};

export const watchEvents = {};
