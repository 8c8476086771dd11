/**
 * Reproduces a Docker image's file tree without Docker, from the Dockerfile itself, so a test can run
 * the image's `seatwise` on a machine without a Docker daemon. It understands the instructions our
 * Dockerfile uses (ARG, FROM … AS, ENV, WORKDIR, COPY [--from], RUN, USER, ENTRYPOINT/CMD in exec
 * form) and refuses anything else, so a Dockerfile change it cannot follow fails the test instead of
 * being silently ignored. Of the RUN commands it executes only `npm ci …` (the dependency install):
 * the others act on the base image (removing npm, creating the data folder), which is not reproduced.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export type DockerInstruction =
  | { kind: "copy"; from: string | undefined; sources: string[]; dest: string; line: number }
  | { kind: "run"; command: string; line: number }
  | { kind: "workdir"; path: string; line: number }
  | { kind: "env"; vars: Record<string, string>; line: number }
  | { kind: "user"; user: string; line: number }
  | { kind: "entrypoint" | "cmd"; argv: string[]; line: number };

export interface DockerStage {
  /** `AS name`, or the stage's index as a string. */
  name: string;
  image: string;
  instructions: DockerInstruction[];
}

/** Parses a Dockerfile into stages. Pure; throws naming `Dockerfile:line` on what it cannot follow. */
export function parseDockerfile(text: string): DockerStage[] {
  const args = new Map<string, string>();
  const stages: DockerStage[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    // Continuations: a trailing backslash joins the next line (comment lines inside are dropped).
    while (/\\\s*$/.test(line) && i + 1 < lines.length) {
      i++;
      if (/^\s*#/.test(lines[i]!)) continue;
      line = line.replace(/\\\s*$/, " ") + lines[i]!;
    }
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match) throw new Error(`Dockerfile:${start}: cannot read "${line.trim()}"`);
    const keyword = match[1]!.toUpperCase();
    const rest = match[2]!.trim();
    const expand = (s: string) => s.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => args.get((a ?? b)!) ?? "");
    if (keyword === "ARG" && stages.length === 0) {
      const [name, value = ""] = rest.split("=", 2);
      args.set(name!, value);
      continue;
    }
    if (keyword === "FROM") {
      const [image, as, name] = expand(rest).split(/\s+/);
      if (as !== undefined && as.toUpperCase() !== "AS") throw new Error(`Dockerfile:${start}: FROM: expected "AS name"`);
      stages.push({ name: name ?? String(stages.length), image: image!, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile:${start}: ${keyword} before FROM`);
    const push = (instruction: DockerInstruction) => stage.instructions.push(instruction);
    switch (keyword) {
      case "COPY": {
        if (rest.startsWith("[")) throw new Error(`Dockerfile:${start}: COPY in JSON form is not reproduced`);
        const words = rest.split(/\s+/);
        let from: string | undefined;
        while (words[0]?.startsWith("--")) {
          const flag = words.shift()!;
          if (flag.startsWith("--from=")) from = flag.slice("--from=".length);
          else if (!/^--(chown|chmod)=/.test(flag)) throw new Error(`Dockerfile:${start}: COPY ${flag} is not reproduced`);
        }
        if (words.length < 2) throw new Error(`Dockerfile:${start}: COPY needs a source and a destination`);
        const sources = words.slice(0, -1);
        if (sources.some((s) => /[*?[]/.test(s))) throw new Error(`Dockerfile:${start}: COPY wildcards are not reproduced`);
        push({ kind: "copy", from, sources, dest: words.at(-1)!, line: start });
        break;
      }
      case "RUN":
        push({ kind: "run", command: rest, line: start });
        break;
      case "WORKDIR":
        push({ kind: "workdir", path: rest, line: start });
        break;
      case "ENV": {
        // `ENV KEY=value …` (values without spaces or quotes), or the legacy `ENV KEY value`.
        const pairs = /^\w+=/.test(rest) ? rest.split(/\s+/).map((p) => p.split("=", 2) as [string, string]) : [[rest.split(/\s+/)[0]!, rest.split(/\s+/).slice(1).join(" ")] as [string, string]];
        if (pairs.some(([k, v]) => k === "" || v === undefined || /["']/.test(v))) throw new Error(`Dockerfile:${start}: ENV form is not reproduced`);
        push({ kind: "env", vars: Object.fromEntries(pairs.map(([k, v]) => [k, expand(v)])), line: start });
        break;
      }
      case "USER":
        push({ kind: "user", user: rest, line: start });
        break;
      case "ENTRYPOINT":
      case "CMD": {
        if (!rest.startsWith("[")) throw new Error(`Dockerfile:${start}: ${keyword} must use the exec (JSON) form`);
        push({ kind: keyword === "CMD" ? "cmd" : "entrypoint", argv: JSON.parse(rest) as string[], line: start });
        break;
      }
      default:
        throw new Error(`Dockerfile:${start}: ${keyword} is not reproduced by test/support/reproduce-image.ts`);
    }
  }
  return stages;
}

/** Turns one .dockerignore pattern into a regular expression over context-relative paths. */
function patternRegExp(pattern: string): RegExp {
  let source = "";
  const p = pattern.replace(/^\/+/, "").replace(/\/+$/, "");
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === "*" && p[i + 1] === "*") {
      // `**/` matches any number of folders, including none.
      source += p[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += p[i + 2] === "/" ? 2 : 1;
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else source += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/**
 * Returns whether .dockerignore excludes a context-relative path: the last matching pattern wins
 * (`!` re-includes), and a pattern that matches a folder excludes everything below it.
 */
export function createDockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => (l.startsWith("!") ? { include: true, re: patternRegExp(l.slice(1)) } : { include: false, re: patternRegExp(l) }));
  return (path) => {
    const parts = path.split("/");
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join("/"));
    let ignored = false;
    for (const rule of rules) if (prefixes.some((p) => rule.re.test(p))) ignored = !rule.include;
    return ignored;
  };
}

/** The reproduced image: where its stages' roots are, and the final stage's command line. */
export interface ReproducedImage {
  /** Host folder standing for `/` of each stage, by stage name. */
  roots: Map<string, string>;
  final: DockerStage;
  /** The final stage's ENTRYPOINT, with image paths mapped to the host and `node` to this Node. */
  entrypoint: string[];
  /** The final stage's WORKDIR on the host (created, as Docker does). */
  workdir: string;
  /** The final stage's USER. */
  user: string | undefined;
  /** The final stage's ENV. */
  env: Record<string, string>;
  /** Context-relative paths copied from the build context into any stage. */
  copiedFromContext: string[];
}

/**
 * Builds every stage's file tree under `outDir`: COPY from the context (honouring .dockerignore),
 * COPY --from an earlier stage, and each RUN's `npm ci …` part executed with the machine's npm
 * (`--prefer-offline`: from the npm cache when it has the packages).
 */
export async function reproduceImage(options: { context: string; dockerfile: string; dockerignore: string; outDir: string; npm: string }): Promise<ReproducedImage> {
  const stages = parseDockerfile(options.dockerfile);
  const ignored = createDockerignore(options.dockerignore);
  const roots = new Map<string, string>();
  const copiedFromContext: string[] = [];
  let workdir = "/";
  let user: string | undefined;
  let entrypoint: string[] = [];
  let env: Record<string, string> = {};
  for (const stage of stages) {
    const root = join(options.outDir, `stage-${stage.name}`);
    mkdirSync(root, { recursive: true });
    roots.set(stage.name, root);
    const onHost = (imagePath: string) => join(root, imagePath);
    workdir = "/";
    user = undefined;
    entrypoint = [];
    env = {};
    for (const instruction of stage.instructions) {
      switch (instruction.kind) {
        case "workdir":
          workdir = posix.resolve(workdir, instruction.path);
          mkdirSync(onHost(workdir), { recursive: true });
          break;
        case "copy": {
          const dest = posix.resolve(workdir, instruction.dest);
          const intoFolder = instruction.dest.endsWith("/") || instruction.sources.length > 1;
          for (const source of instruction.sources) {
            if (instruction.from !== undefined) {
              const fromRoot = roots.get(instruction.from);
              if (!fromRoot) throw new Error(`Dockerfile:${instruction.line}: COPY --from=${instruction.from}: no such earlier stage`);
              copyEntry(join(fromRoot, posix.resolve("/", source)), onHost(dest), intoFolder, () => false);
            } else {
              const relativeSource = posix.normalize(source).replace(/^\.?\/+/, "").replace(/\/+$/, "");
              const from = join(options.context, relativeSource);
              if (!existsSync(from) || ignored(relativeSource)) throw new Error(`Dockerfile:${instruction.line}: COPY ${source}: not in the build context (or excluded by .dockerignore)`);
              copiedFromContext.push(...copyEntry(from, onHost(dest), intoFolder, (p) => ignored(posix.join(relativeSource, p))).map((p) => posix.join(relativeSource, p)));
            }
          }
          break;
        }
        case "run": {
          const install = instruction.command
            .split("&&")
            .map((c) => c.trim())
            .find((c) => /^npm ci\b/.test(c));
          if (!install) break;
          // npm walks up to the nearest package.json: never let it reach a folder outside the image.
          if (!existsSync(join(onHost(workdir), "package.json"))) throw new Error(`Dockerfile:${instruction.line}: npm ci without a package.json in ${workdir}`);
          await run(options.npm, [...install.split(/\s+/).slice(1), "--prefer-offline"], { cwd: onHost(workdir), maxBuffer: 16 * 1024 * 1024 });
          break;
        }
        case "user":
          user = instruction.user;
          break;
        case "entrypoint":
          entrypoint = instruction.argv.map((a, i) => (i === 0 && a === "node" ? process.execPath : a.startsWith("/") ? onHost(a) : a));
          break;
        case "env":
          env = { ...env, ...instruction.vars };
          break;
        case "cmd":
          break;
      }
    }
  }
  const final = stages.at(-1)!;
  return { roots, final, entrypoint, workdir: join(roots.get(final.name)!, workdir), user, env, copiedFromContext };
}

/**
 * Copies a file or a folder's contents to `dest` (`intoFolder`: a file keeps its name inside `dest`).
 * `skip(relativePath)` filters files and folders below a copied folder. Returns the copied files,
 * relative to `from` ("" for a single file).
 */
function copyEntry(from: string, dest: string, intoFolder: boolean, skip: (relativePath: string) => boolean): string[] {
  if (!statSync(from).isDirectory()) {
    const target = intoFolder ? join(dest, from.split(/[\\/]/).at(-1)!) : dest;
    mkdirSync(dirname(target), { recursive: true });
    cpSync(from, target);
    return [""];
  }
  const copied: string[] = [];
  const walk = (relativeDir: string) => {
    for (const entry of readdirSync(join(from, relativeDir), { withFileTypes: true })) {
      const rel = relativeDir === "" ? entry.name : `${relativeDir}/${entry.name}`;
      if (skip(rel)) continue;
      if (entry.isDirectory()) walk(rel);
      else {
        mkdirSync(join(dest, relativeDir), { recursive: true });
        cpSync(join(from, rel), join(dest, rel));
        copied.push(rel);
      }
    }
  };
  walk("");
  return copied;
}

/** True when `path` or one of its ancestors holds a node_modules folder Node could resolve from. */
export function ancestorNodeModules(path: string): string | undefined {
  let dir = dirname(path);
  for (;;) {
    const candidate = join(dir, "node_modules");
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** What an entry point can load: its local files, the packages it names, and what is missing. */
export interface ModuleGraph {
  /** Local files reached (absolute paths). */
  files: string[];
  /** Bare specifiers' package names (`node:` built-ins left out). */
  packages: string[];
  /** `<importing file>: <specifier>` for local files that do not exist. */
  missing: string[];
}

const IMPORT_PATTERNS = [
  // import … from "x" / export … from "x" (a type-only statement is erased by type stripping)
  /\b(import|export)(\s+type\b)?[^"'`;]*?\bfrom\s*["']([^"']+)["']/g,
  // import "x" (side effects)
  /\bimport\s*()()["']([^"']+)["']/g,
  // import("x")
  /\bimport\(\s*()()["']([^"']+)["']\s*\)/g,
  // require.resolve("pkg"), createRequire(…).resolve("pkg"), import.meta.resolve("pkg"): bare names only
  // (a relative path there is path.resolve's business, not a module)
  /\.resolve\(\s*()()["']([^."'/][^"']*)["']\s*\)/g,
  // new URL("./file", import.meta.url): a data file read at run time
  /\bnew URL\(\s*()()["'](\.[^"']+)["']\s*,\s*import\.meta\.url\s*\)/g,
];

/**
 * Follows every import an entry point can make — static, `import()` with a literal, `new URL(…,
 * import.meta.url)` data files — through local files, so a module loaded only lazily (e.g. a database
 * driver) is checked too. Reads files; regular-expression based, which suits our own sources.
 */
export function readModuleGraph(entry: string): ModuleGraph {
  const files = new Set<string>();
  const packages = new Set<string>();
  const missing: string[] = [];
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    if (!/\.(ts|js|mjs)$/.test(file)) continue;
    const source = readFileSync(file, "utf8");
    for (const pattern of IMPORT_PATTERNS) {
      for (const match of source.matchAll(pattern)) {
        if (match[2]) continue; // `import type` / `export type`
        const specifier = match[3]!;
        if (specifier.startsWith(".")) {
          const target = join(dirname(file), specifier);
          if (existsSync(target)) pending.push(target);
          else missing.push(`${file}: ${specifier}`);
        } else if (!specifier.startsWith("node:")) {
          const parts = specifier.split("/");
          packages.add(specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!);
        }
      }
    }
  }
  return { files: [...files], packages: [...packages].sort(), missing };
}
