import type { Task } from './checklist/schema.js';
import { posterTexts } from './conversation/texts.js';
import type { PosterPage, PosterRequest } from './model.js';

/**
 * Builds the request for a QR poster: a page per class with its chats in the order the links task
 * asks them, titled as the checklist names them. Rendering is an adapter's job (PosterRenderer).
 */
export function posterRequest(args: {
  schoolName: string;
  /** The links task whose chats the poster shows. */
  linksTask: Task;
  pages: { className: string; links: Readonly<Record<string, string>> }[];
  previews: boolean;
}): PosterRequest {
  const { step } = args.linksTask;
  if (step.kind !== 'links') throw new Error(`task "${args.linksTask.code}" has no links step`);
  const pages = args.pages.map(
    ({ className, links }): PosterPage => ({
      schoolName: args.schoolName,
      className,
      heading: posterTexts.heading(className),
      chats: step.chats.flatMap((chat) => {
        const link = links[chat.key];
        return link ? [{ title: chat.title, link }] : [];
      }),
      stepsTitle: posterTexts.stepsTitle,
      steps: [...posterTexts.steps],
      warning: posterTexts.warning,
    }),
  );
  return { filename: posterFilename(pages.map((p) => p.className)), pages, previews: args.previews };
}

const LATIN: Record<string, string> = {
  А: 'A', Б: 'B', В: 'V', Г: 'G', Д: 'D', Е: 'E', Ё: 'E', Ж: 'ZH', З: 'Z', И: 'I', Й: 'Y', К: 'K', Л: 'L', М: 'M', Н: 'N', О: 'O', П: 'P',
  Р: 'R', С: 'S', Т: 'T', У: 'U', Ф: 'F', Х: 'KH', Ц: 'TS', Ч: 'CH', Ш: 'SH', Щ: 'SCH', Ъ: '', Ы: 'Y', Ь: '', Э: 'E', Ю: 'YU', Я: 'YA',
};

/**
 * `plakat-5A.pdf`, `plakat-5A-7B.pdf`: Latin, because a multipart file name in Cyrillic is where
 * upload servers disagree, and VK shows the name as the document's title.
 */
export function posterFilename(classes: readonly string[]): string {
  const names = classes.map((name) => [...name.toLocaleUpperCase('ru')].map((ch) => LATIN[ch] ?? ch).join('').replace(/[^A-Z0-9]/g, ''));
  return `plakat-${names.join('-') || 'klass'}.pdf`;
}
