// Types for electron-vite's `?asset` imports (files the build copies beside the bundle, imported as their path).
/// <reference types="electron-vite/node" />
