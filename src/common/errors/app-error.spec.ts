import { AppError } from './app-error';

describe('AppError.invalidInput', () => {
  it('names each field once in its text', () => {
    const error = AppError.invalidInput([
      { field: 'limit', message: 'limit must not be less than 1' },
      { field: 'query', message: 'unknown field' },
    ]);
    expect(error.message).toBe('limit must not be less than 1; query: unknown field');
    expect(error.details).toEqual([
      { field: 'limit', message: 'limit must not be less than 1' },
      { field: 'query', message: 'unknown field' },
    ]);
  });

  it('says "Invalid input" when no field is named', () => {
    expect(AppError.invalidInput([]).message).toBe('Invalid input');
  });
});
