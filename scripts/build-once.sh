# Sourced by the scripts that build a pinned tool into .tools/ (ensure-*.sh,
# build-cli.sh); they define log and die.
#
# build_once NAME DEST CHECK BUILD NOTE: unless CHECK (a command) succeeds,
# run BUILD (a command that builds NAME into DEST) under a lock in DEST, so
# that parallel callers build once, saying how long it may take (NOTE) and
# how long it took. The caller checks the result and says what it found.
build_once() {
  local name=$1 dest=$2 check=$3 build=$4 note=$5 start
  "$check" && return 0
  command -v go >/dev/null 2>&1 || die "no 'go' on PATH to build $name"
  mkdir -p "$dest"
  exec 9>"$dest/.$name-build.lock"
  command -v flock >/dev/null 2>&1 && flock 9
  "$check" && return 0 # built meanwhile by another caller
  log "building $name into $dest ($note)"
  start=$SECONDS
  "$build"
  log "built $name in $((SECONDS - start))s"
}
