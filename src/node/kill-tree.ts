/**
 * A POSIX sh script that SIGKILLs a process, its process group and every descendant. Descendants
 * matter because sudo (use_pty) and daemons start new sessions, out of reach of a group kill.
 * It reads /proc directly, so it needs neither ps nor pkill (absent on minimal images).
 */
export function killTreeScript(pid: number): string {
  if (!Number.isInteger(pid) || pid <= 1) throw new Error(`refusing to kill pid ${pid}`);
  return `root=${pid}
tree() {
  for f in /proc/[0-9]*/stat; do
    read -r l < "$f" 2>/dev/null || continue
    r=\${l##*) }; set -- $r; d=\${f#/proc/}; echo "\${d%/stat} $2"
  done | awk -v r="$root" '{ pp[$1] = $2 } END { for (x in pp) { q = x; n = 0; while (q != r && (q in pp) && n++ < 64) q = pp[q]; if (q == r) print x } }'
}
t=$(tree)
[ -n "$t" ] && kill -STOP $t 2>/dev/null
kill -KILL -- -$root 2>/dev/null
kill -KILL $t $(tree) 2>/dev/null
true`;
}
