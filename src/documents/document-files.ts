import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, extname, join, relative, sep } from 'node:path';

/** The largest markdown file ingested; documents are help pages, not books. */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;

export interface DocumentFile {
  /** The path relative to the folder, with `/` separators: the document's source. */
  readonly source: string;
  readonly text: string;
  readonly hash: string;
  /** The first-level folder's name, or undefined for a file at the folder's top. */
  readonly folder: string | undefined;
  /** The file name without `.md`, the title of a document without a `# ` heading. */
  readonly name: string;
}

export interface FolderScan {
  readonly files: DocumentFile[];
  /** One line per file refused (outside the folder, too large, not UTF-8). */
  readonly refused: string[];
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Every `.md` file under `root`, read and hashed, in path order. Symbolic links are followed only
 * while they stay inside `root`; a file that leaves it, is larger than MAX_DOCUMENT_BYTES or is not
 * UTF-8 is refused with one line saying why.
 */
export async function scanFolder(root: string): Promise<FolderScan> {
  const realRoot = await realpath(root);
  if (!(await stat(realRoot)).isDirectory()) {
    throw new Error(`${root} is not a folder`);
  }
  const files: DocumentFile[] = [];
  const refused: string[] = [];
  const visit = async (folder: string): Promise<void> => {
    const entries = (await readdir(folder)).sort();
    for (const entry of entries) {
      const path = join(folder, entry);
      const source = relative(root, path).split(sep).join('/');
      const link = await lstat(path);
      let target = path;
      if (link.isSymbolicLink()) {
        target = await realpath(path).catch(() => '');
        if (target === '' || (target !== realRoot && !target.startsWith(realRoot + sep))) {
          refused.push(`refused ${source}: it links outside ${root}`);
          continue;
        }
      }
      const info = await stat(target);
      if (info.isDirectory()) {
        if (!link.isSymbolicLink()) {
          await visit(path);
        }
        continue;
      }
      if (!info.isFile() || extname(entry).toLowerCase() !== '.md') {
        continue;
      }
      if (info.size > MAX_DOCUMENT_BYTES) {
        refused.push(`refused ${source}: ${info.size} bytes, larger than the ${MAX_DOCUMENT_BYTES}-byte limit`);
        continue;
      }
      const bytes = await readFile(target);
      let text: string;
      try {
        text = UTF8.decode(bytes);
      } catch {
        refused.push(`refused ${source}: not valid UTF-8`);
        continue;
      }
      const parts = source.split('/');
      files.push({
        source,
        text,
        hash: createHash('sha256').update(bytes).digest('hex'),
        folder: parts.length > 1 ? parts[0] : undefined,
        name: basename(entry, extname(entry)),
      });
    }
  };
  await visit(root);
  return { files, refused };
}
