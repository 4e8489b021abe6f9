// The fake Bot API server lives with the playground, which shares it; tests keep importing it from here.
export * from '../../src/playground/bot-api-server.js';
