import { and, eq, sql } from 'drizzle-orm';
import { initialState, parseState } from '../../domain/conversation/state.js';
import type { ConversationRepository } from '../../domain/ports.js';
import type { Database } from '../client.js';
import { classes, conversations, schools, taskCompletions, teachers } from '../schema.js';
import { type CompletionJson, completionJson, fromCompletionJson } from './completions.js';
import { schoolColumns } from './schools.js';

export function createConversationRepository(db: Database): ConversationRepository {
  return {
    async open(vkId, at) {
      // ON CONFLICT DO UPDATE rather than DO NOTHING and a SELECT … FOR UPDATE: one statement creates
      // or locks the row, and it locks the newest version even when another transaction inserted it
      // after this statement's snapshot was taken. `save` sets the same updated_at again.
      const lock = db
        .insert(conversations)
        .values({ vkId, state: initialState })
        .onConflictDoUpdate({ target: conversations.vkId, set: { updatedAt: sql`now()` } })
        .returning({ state: conversations.state });
      // The teacher is marked seen in the statement that reads them, which sees them as they were.
      const seen = db.$with('seen').as(
        db
          .update(teachers)
          // postgres.js cannot bind a Date inside raw sql: pass it as text.
          .set({ lastSeenAt: at, unreachableAt: null, startedAt: sql`coalesce(${teachers.startedAt}, ${at.toISOString()}::timestamptz)` })
          .where(and(eq(teachers.vkId, vkId), eq(teachers.active, true)))
          .returning({ id: teachers.id }),
      );
      const load = db
        .with(seen)
        .select({
          teacher: { id: teachers.id, schoolId: teachers.schoolId, vkId: teachers.vkId, fullName: teachers.fullName, startedAt: teachers.startedAt, finishedAt: teachers.finishedAt },
          school: schoolColumns,
          classNames: sql<string[] | null>`(select json_agg(${classes.name} order by ${classes.position}) from ${classes} where ${classes.teacherId} = ${teachers.id})`,
          answers: sql<CompletionJson[] | null>`(select json_agg(${completionJson({ evidence: true })}) from ${taskCompletions} where ${taskCompletions.teacherId} = ${teachers.id})`,
        })
        .from(teachers)
        .innerJoin(schools, eq(schools.id, teachers.schoolId))
        .where(and(eq(teachers.vkId, vkId), eq(teachers.active, true)));
      // Two statements sent together (one round trip): the server runs the second once the first has
      // the lock, and with a snapshot of its own, so it reads what the transaction that held the
      // lock before committed. In one statement the snapshot would predate the wait for the lock.
      const [[locked], [row]] = await Promise.all([lock, load]);
      if (!locked) throw new Error('conversation was not opened');
      return {
        state: parseState(locked.state),
        teacher: row ? { ...row.teacher, classes: row.classNames ?? [] } : null,
        school: row?.school ?? null,
        completions: (row?.answers ?? []).map(fromCompletionJson),
      };
    },
    async save(vkId, schoolId, state) {
      await db
        .update(conversations)
        .set({ state, schoolId, updatedAt: sql`now()` })
        .where(eq(conversations.vkId, vkId));
    },
  };
}
