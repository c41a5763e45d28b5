#!/bin/sh
# Builds pxauth and golang-jwt's jwt command, generates the inputs, and
# prints whole-process medians and ratios for the performance goals. The
# binaries and inputs go to a temp dir that is removed at the end.
#
# Usage: bench/run.sh [PXAUTH_SOURCE_DIR]
# Set RUNS to change the number of runs per command (default 30, at least 15).
set -eu

src=$(cd "${1:-$(dirname "$0")/..}" && pwd)
runs=${RUNS:-30}
if [ "$runs" -lt 15 ]; then
	runs=15
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

# Step 1: build pxauth, a hello-world program and golang-jwt's jwt the same
# way, so that start-up costs compare fairly. pxauth is built as a release
# (.goreleaser.yaml): its build tag leaves urfave/cli's document writers
# out, and the linker sets the version, commit and date, so that --version
# prints before the libraries initialize (internal/early).
export CGO_ENABLED=0
commit=$(git -C "$src" rev-parse HEAD 2>/dev/null || echo unknown)
pkg=github.com/pxauth/pxauth/internal/buildinfo
(cd "$src" && go build -tags urfave_cli_no_docs -trimpath -o "$work/pxauth" \
	-ldflags="-s -w -X $pkg.version=0.0.0-bench -X $pkg.commit=$commit -X $pkg.date=$(date -u +%Y-%m-%dT%H:%M:%SZ)" .)

mkdir "$work/hello"
cat >"$work/hello/main.go" <<'GO'
package main

import "os"

func main() { os.Stdout.WriteString("hello\n") }
GO
printf 'module hello\n\ngo 1.22\n' >"$work/hello/go.mod"
(cd "$work/hello" && go build -trimpath -ldflags="-s -w" -o "$work/hello-bin" .)

GOBIN="$work" go install -trimpath -ldflags="-s -w" github.com/golang-jwt/jwt/v5/cmd/jwt@v5.3.1

# Step 2: inputs. The claims match examples/kube.yaml with the issuer,
# iat and exp that pxauth adds.
printf 'benchmark-shared-secret-0123456789' >"$work/secret"
now=$(date +%s)
cat >"$work/claims.json" <<JSON
{"email":"kubernetes-user@example.com","exp":$((now + 86400)),"groups":["kubernetes"],"iat":$((now - 60)),"iss":"portworx.com","name":"Kubernetes User","roles":["system.user"],"sub":"3a9d4c1e-7b2f-4e8a-8c6d-5f0e1a2b3c4d"}
JSON

# contexts N writes $work/homeN/.pxctl/contextconfig with N contexts, each
# with an inline token of about 900 bytes, as pxctl keeps them.
contexts() {
	dir="$work/home$1/.pxctl"
	mkdir -p "$dir"
	awk -v n="$1" 'BEGIN {
		tok = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
		for (i = 0; i < 44; i++) tok = tok "eyJzdWIiOiJ1c2VyIn0"
		tok = tok ".c2lnbmF0dXJl"
		print "contextconfig:"
		print "  current: ctx-0"
		print "  previous: ctx-1"
		print "  configurations:"
		for (i = 0; i < n; i++) {
			printf "  - context: ctx-%d\n    token: %s\n", i, tok
			printf "    identity:\n      subject: 6f1c2b9e-4d1a-4f5e-9b8a-%012d\n", i
			printf "      name: User %d\n      email: user%d@example.com\n", i, i
			print "    endpoint: http://localhost:9001"
		}
	}' >"$dir/contextconfig"
	chmod 600 "$dir/contextconfig"
}
contexts 10
contexts 1000

gen="$work/pxauth token generate --auth-config $src/examples/kube.yaml --issuer portworx.com --shared-secret-file $work/secret"
sign="$work/jwt -key $work/secret -alg HS256 -sign $work/claims.json"

# Every command must work before it is timed.
for cmd in "$gen" "$sign" "$work/pxauth --version" "$work/hello-bin"; do
	$cmd >/dev/null
done
for n in 10 1000; do
	HOME="$work/home$n" "$work/pxauth" ctx current >/dev/null
	HOME="$work/home$n" "$work/pxauth" ctx use - >/dev/null 2>&1
done

if ! command -v hyperfine >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
	apt-get install -y hyperfine >/dev/null 2>&1 || true
fi

# median NAME COMMAND... prints the median wall time of COMMAND in ms.
# HOME is passed through the environment of this script, not a wrapper.
if command -v hyperfine >/dev/null 2>&1; then
	median() {
		name=$1
		shift
		hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/$name.json" "$*" >/dev/null 2>&1
		sed -n 's/.*"median": *\([0-9.e+-]*\).*/\1/p' "$work/$name.json" | head -n 1 |
			awk '{ printf "%.2f", $1 * 1000 }'
	}
	timer="hyperfine -N, $runs runs"
else
	median() {
		name=$1
		shift
		i=0
		: >"$work/$name.times"
		while [ "$i" -lt "$runs" ]; do
			start=$(date +%s%N)
			"$@" >/dev/null 2>&1
			end=$(date +%s%N)
			echo $(((end - start) / 1000)) >>"$work/$name.times"
			i=$((i + 1))
		done
		sort -n "$work/$name.times" | awk '{ t[NR] = $1 } END {
			m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
			printf "%.2f", m / 1000 }'
	}
	timer="shell loop, $runs runs"
fi

row() {
	# row GOAL WHAT MS BASELINE BASE_MS LIMIT
	ratio=$(awk -v a="$3" -v b="$5" 'BEGIN { printf "%.2f", a / b }')
	ok=$(awk -v r="$ratio" -v l="$6" 'BEGIN { print (r <= l) ? "yes" : "NO" }')
	printf '| %s | %s | %s | %s | %s | %s× | ≤%s× | %s |\n' "$1" "$2" "$3" "$4" "$5" "$ratio" "$6" "$ok"
}

gen_ms=$(median gen $gen)
sign_ms=$(median sign $sign)

export HOME="$work/home10"
cur10=$(median cur10 "$work/pxauth" ctx current)
use10=$(median use10 "$work/pxauth" ctx use -)
export HOME="$work/home1000"
cur1000=$(median cur1000 "$work/pxauth" ctx current)
use1000=$(median use1000 "$work/pxauth" ctx use -)

version=$(median version "$work/pxauth" --version)
hello=$(median hello "$work/hello-bin")

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "Machine: $(getconf _NPROCESSORS_ONLN) cores, ${cpu:-unknown CPU}; $(go version)"
echo "Timer: $timer; medians in ms"
echo
echo '| Goal | Command | ms | Baseline | ms | Ratio | Limit | Met |'
echo '|---|---|---|---|---|---|---|---|'
row 1 'token generate (HS256, kube.yaml)' "$gen_ms" 'jwt -sign' "$sign_ms" 1.5
row 2 'ctx current, 1,000 contexts' "$cur1000" '10 contexts' "$cur10" 3
row 2 'ctx use -, 1,000 contexts' "$use1000" '10 contexts' "$use10" 3
row 3 'pxauth --version' "$version" 'hello world' "$hello" 1.3

# ---- Goal 4: batch minting (token generate --auth-config DIR --output-dir
# OUT): its inputs, timings and rows. ----
batch_users=10000
batch_runs=${BATCH_RUNS:-5}
mkdir "$work/users"
awk -v n="$batch_users" -v dir="$work/users" 'BEGIN {
	for (i = 0; i < n; i++) {
		f = sprintf("%s/user%05d.yaml", dir, i)
		printf "name: User %d\nemail: user%d@example.com\n", i, i >f
		printf "sub: 6f1c2b9e-4d1a-4f5e-9b8a-%012d\n", i >f
		printf "roles: [\"system.user\"]\ngroups: [\"tenant-%d\"]\n", i >f
		close(f)
	}
}'

# batch NAME RUNS KEYFLAGS... prints the median wall time in ms of RUNS runs,
# each minting one token per user file into a new directory. The token
# files stay until the script ends: on ext4, creating files within 60 s
# (300 s while the inode table is not written back) of deleting thousands
# of others was 2 to 5 times slower here, because the inode allocator
# checks each recently deleted inode and skips it (recently_deleted in
# fs/ext4/ialloc.c, seen with perf). Each run
# starts after a sync, so that the writeback of the previous run's files
# does not overlap it.
batch() {
	name=$1
	n=$2
	shift 2
	i=0
	: >"$work/batch.times"
	while [ "$i" -lt "$n" ]; do
		sync
		start=$(date +%s%N)
		"$work/pxauth" -q token generate --auth-config "$work/users" --output-dir "$work/tokens-$name-$i" \
			--issuer portworx.com "$@"
		end=$(date +%s%N)
		echo $(((end - start) / 1000)) >>"$work/batch.times"
		i=$((i + 1))
	done
	sort -n "$work/batch.times" | awk '{ t[NR] = $1 } END {
		m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
		printf "%.2f", m / 1000 }'
}

# rate MS prints the tokens per second of a batch run that took MS.
rate() {
	awk -v ms="$1" -v n="$batch_users" 'BEGIN { printf "%.0f", n / (ms / 1000) }'
}

# The goal is 20,000 tokens per second: 10,000 tokens in at most 500 ms.
hs_ms=$(batch hs "$batch_runs" --shared-secret-file "$work/secret")
row 4 "token generate --output-dir, 10,000 HS256 tokens ($(rate "$hs_ms")/s)" "$hs_ms" '20,000 tokens/s' 500 1

echo
echo "Batch minting rates: $batch_users user files, median of $batch_runs runs for HS256 and 3 for the others"
if command -v openssl >/dev/null 2>&1; then
	openssl ecparam -name prime256v1 -genkey -noout -out "$work/ec.pem" 2>/dev/null
	openssl genrsa -out "$work/rsa.pem" 2048 2>/dev/null
	chmod 600 "$work/ec.pem" "$work/rsa.pem"
	es_ms=$(batch es 3 --ecdsa-private-keyfile "$work/ec.pem")
	rs_ms=$(batch rs 3 --rsa-private-keyfile "$work/rsa.pem")
	echo
	echo '| Key | ms | Tokens/s |'
	echo '|---|---|---|'
	echo "| HS256 | $hs_ms | $(rate "$hs_ms") |"
	echo "| ES256 (P-256) | $es_ms | $(rate "$es_ms") |"
	echo "| RS256 (2048 bits) | $rs_ms | $(rate "$rs_ms") |"
else
	echo "(openssl is not installed, so no ES256 and RS256 keys: only HS256 was measured)"
fi
