import { describe, expect, it } from 'vitest';
import { numberedPlaceholders, toNumberedPlaceholders } from '../../core/store/postgres/placeholders';

describe('PostgreSQL placeholders', () => {
  it('numbers each ? in order', () => {
    expect(toNumberedPlaceholders('SELECT * FROM t WHERE a = ? AND b IN (?, ?) LIMIT ?')).toBe('SELECT * FROM t WHERE a = $1 AND b IN ($2, $3) LIMIT $4');
  });

  it('skips single-quoted literals, including doubled quotes', () => {
    expect(toNumberedPlaceholders("SELECT * FROM events WHERE state = 'pending_review?' AND note = 'it''s ?' AND id = ?")).toBe(
      "SELECT * FROM events WHERE state = 'pending_review?' AND note = 'it''s ?' AND id = $1",
    );
  });

  it('honours backslash escapes only in E strings', () => {
    expect(toNumberedPlaceholders("SELECT E'\\'?', ?")).toBe("SELECT E'\\'?', $1");
    expect(toNumberedPlaceholders("SELECT 'a\\', ?")).toBe("SELECT 'a\\', $1");
    expect(toNumberedPlaceholders("SELECT type'x?', ?")).toBe("SELECT type'x?', $1");
  });

  it('skips quoted identifiers, dollar-quoted bodies and comments', () => {
    expect(toNumberedPlaceholders('SELECT 1 AS "a?""b", ? -- why?\n, ?')).toBe('SELECT 1 AS "a?""b", $1 -- why?\n, $2');
    expect(toNumberedPlaceholders('SELECT /* ? /* nested ? */ still ? */ ?')).toBe('SELECT /* ? /* nested ? */ still ? */ $1');
    expect(toNumberedPlaceholders('SELECT $$?$$, $fn$ ? $$ ? $fn$, ?')).toBe('SELECT $$?$$, $fn$ ? $$ ? $fn$, $1');
  });

  it('does not mistake identifiers with $ or existing $n parameters for dollar quotes', () => {
    expect(toNumberedPlaceholders('SELECT a$b$, ?')).toBe('SELECT a$b$, $1');
    expect(toNumberedPlaceholders('SELECT $1, ?')).toBe('SELECT $1, $1');
  });

  it('leaves an unterminated literal as it is', () => {
    expect(toNumberedPlaceholders("SELECT ?, 'open ?")).toBe("SELECT $1, 'open ?");
  });

  it('remembers conversions', () => {
    const sql = 'SELECT ? AS cached';
    expect(numberedPlaceholders(sql)).toBe('SELECT $1 AS cached');
    expect(numberedPlaceholders(sql)).toBe('SELECT $1 AS cached');
  });
});
