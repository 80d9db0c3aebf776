import { eq } from 'drizzle-orm';
import type { UploadedFiles } from '../../domain/ports.js';
import type { Database } from '../client.js';
import { uploadedFiles } from '../schema.js';

/** Attachments are stored comma-separated, as VK writes a message's `attachment` parameter. */
export function createUploadedFileRepository(db: Database): UploadedFiles {
  return {
    async find(hash) {
      const [row] = await db.select({ attachment: uploadedFiles.attachment }).from(uploadedFiles).where(eq(uploadedFiles.hash, hash));
      return row ? row.attachment.split(',') : null;
    },
    async remember(hash, attachments) {
      await db
        .insert(uploadedFiles)
        .values({ hash, attachment: attachments.join(',') })
        .onConflictDoUpdate({ target: uploadedFiles.hash, set: { attachment: attachments.join(','), createdAt: new Date() } });
    },
  };
}
