import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, extname, join, relative, sep } from 'node:path';

/** The largest markdown file ingested; documents are help pages, not books. */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;

/** A markdown file found in the folder, not read yet. */
export interface DocumentEntry {
  /** The path relative to the folder, with `/` separators: the document's source. */
  readonly source: string;
  /** Where to read it (a link's target inside the folder). */
  readonly path: string;
  /** The first-level folder's name, or undefined for a file at the folder's top. */
  readonly folder: string | undefined;
  /** The file name without `.md`, the title of a document without a `# ` heading. */
  readonly name: string;
}

/** A file present in the folder but not ingested, and why (one line of the ingest output). */
export interface RefusedFile {
  readonly source: string;
  readonly reason: string;
}

/** What the folder holds, in path order: files to read, and files refused without reading them. */
export type FolderItem = { readonly entry: DocumentEntry } | { readonly refused: RefusedFile };

/** A file's bytes and their SHA-256: enough to tell an unchanged file without decoding it. */
export interface FileContent {
  readonly bytes: Buffer;
  readonly hash: string;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

const tooLarge = (source: string, size: number): RefusedFile => ({ source, reason: `${size} bytes, larger than the ${MAX_DOCUMENT_BYTES}-byte limit` });

/**
 * Every `.md` file under `root`, in path order, found without reading any: symbolic links are
 * followed only while they stay inside `root`; a file that leaves it or is larger than
 * MAX_DOCUMENT_BYTES is refused. Files are read one at a time afterwards (readContent), so memory
 * stays bounded by the largest file whatever the folder holds.
 */
export async function listFolder(root: string): Promise<FolderItem[]> {
  const realRoot = await realpath(root);
  if (!(await stat(realRoot)).isDirectory()) {
    throw new Error(`${root} is not a folder`);
  }
  const items: FolderItem[] = [];
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
          items.push({ refused: { source, reason: `it links outside ${root}` } });
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
        items.push({ refused: tooLarge(source, info.size) });
        continue;
      }
      const parts = source.split('/');
      items.push({ entry: { source, path: target, folder: parts.length > 1 ? parts[0] : undefined, name: basename(entry, extname(entry)) } });
    }
  };
  await visit(root);
  return items;
}

/** The file's bytes and hash; refused when it grew past the limit since it was listed. */
export async function readContent(entry: DocumentEntry): Promise<FileContent | RefusedFile> {
  const bytes = await readFile(entry.path);
  if (bytes.length > MAX_DOCUMENT_BYTES) {
    return tooLarge(entry.source, bytes.length);
  }
  return { bytes, hash: createHash('sha256').update(bytes).digest('hex') };
}

/** The file's text; refused when it is not UTF-8. */
export function decodeContent(entry: DocumentEntry, content: FileContent): string | RefusedFile {
  try {
    return UTF8.decode(content.bytes);
  } catch {
    return { source: entry.source, reason: 'not valid UTF-8' };
  }
}
