// Contract: browsing folders on the machine Convoy runs on, for browser mode where no native dialog exists.
// Channels are named `folders.*`; common/api.ts merges them into the bridge.

export const folderRequests = {};
