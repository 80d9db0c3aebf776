import order641 from './order-64-1.json' with { type: 'json' };
import { type Checklist, checklistSchema } from './schema.js';

/** The built-in checklist of order №64/1 (shared/DESIGN.md §2), validated like any school's file. */
export const defaultChecklist: Checklist = checklistSchema.parse(order641);
