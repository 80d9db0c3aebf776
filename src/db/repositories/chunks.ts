/**
 * Schools per query when a repository looks many up at once: a school list used a few times in one
 * statement stays far below PostgreSQL's 65,535 parameters.
 */
const SCHOOLS_PER_QUERY = 1000;

/** `load` over `ids` a chunk at a time, the rows of every chunk in order. */
export async function loadInChunks<T>(ids: readonly string[], load: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  let rows: T[] = [];
  for (let start = 0; start < ids.length; start += SCHOOLS_PER_QUERY) rows = rows.concat(await load(ids.slice(start, start + SCHOOLS_PER_QUERY)));
  return rows;
}
