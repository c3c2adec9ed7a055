// A stand-in for the Electron distribution the `--linux dir` smoke build packs (the real binary cannot be
// downloaded here): an executable that carries Electron's fuse wire, byte for byte in the layout Electron builds.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The sentinel Electron's build/fuses/build.py puts in front of the wire (`kFuseWire` in fuses.cc); @electron/fuses
 * finds the wire by searching the binary for it.
 */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** The wire's schema version, one raw byte after the sentinel (`_version` in build/fuses/fuses.json5). */
export const FUSE_WIRE_VERSION = 1;

/**
 * Electron's fuses in wire order with their defaults as built (build/fuses/fuses.json5): '1' on, '0' off. A
 * packaged app gets these unless electron-builder flips them.
 */
export const electronFuseDefaults = [
  ['run_as_node', '1'],
  ['cookie_encryption', '0'],
  ['node_options', '1'],
  ['node_cli_inspect', '1'],
  ['embedded_asar_integrity_validation', '0'],
  ['only_load_app_from_asar', '0'],
  ['load_browser_process_specific_v8_snapshot', '0'],
  ['grant_file_protocol_extra_privileges', '1'],
] as const;

/** The wire as build.py writes it: sentinel, chr(version), chr(number of fuses), then one '0'/'1' per fuse. */
export function fuseWire(): Buffer {
  const states = electronFuseDefaults.map(([, state]) => state).join('');
  return Buffer.concat([
    Buffer.from(FUSE_SENTINEL, 'ascii'),
    Buffer.from([FUSE_WIRE_VERSION, electronFuseDefaults.length]),
    Buffer.from(states, 'ascii'),
  ]);
}

/**
 * Writes an Electron distribution into `dir`: `electron` (a shell script that exits at once, followed by data
 * bytes holding the fuse wire, as the wire sits in the real binary's data section) and an empty `resources/`.
 */
export function writeElectronStandIn(dir: string): void {
  const script = Buffer.from("#!/bin/sh\n# Convoy's stand-in for the Electron binary, for packaging tests.\nexit 0\n");
  const data = Buffer.alloc(256, 0);
  const executable = join(dir, 'electron');
  writeFileSync(executable, Buffer.concat([script, data, fuseWire(), data]));
  chmodSync(executable, 0o755);
  mkdirSync(join(dir, 'resources'), { recursive: true });
}
