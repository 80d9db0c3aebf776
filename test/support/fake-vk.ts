export * from '../../src/sandbox/vk-emulator.js';
