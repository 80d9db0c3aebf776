/** The tests' VK: the same fake VK the sandbox runs (src/fake-vk), over HTTP on 127.0.0.1. */
export * from '../../src/fake-vk/index.js';
