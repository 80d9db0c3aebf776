import { describe, expect, it } from 'vitest';
import { documentName } from '../../src/vk/input.js';

describe('documentName', () => {
  it('keeps a title that has its extension and adds a lost one', () => {
    expect(documentName('Список.xlsx', 'xlsx')).toBe('Список.xlsx');
    expect(documentName('Список.XLSX', 'xlsx')).toBe('Список.XLSX');
    expect(documentName('Список учителей', 'csv')).toBe('Список учителей.csv');
    expect(documentName(undefined, 'xlsx')).toBe('file.xlsx');
    expect(documentName('', undefined)).toBe('file');
  });
});
