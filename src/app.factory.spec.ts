import { logLevelsFor } from './app.factory';

describe('logLevelsFor', () => {
  it('keeps the configured level and everything more severe', () => {
    expect(logLevelsFor('info')).toEqual(['log', 'warn', 'error', 'fatal']);
    expect(logLevelsFor('trace')).toEqual(['verbose', 'debug', 'log', 'warn', 'error', 'fatal']);
    expect(logLevelsFor('fatal')).toEqual(['fatal']);
  });
});
