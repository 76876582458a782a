#!/bin/sh
# test_mpi.sh PARLEY MPIEXEC — the MPI build: mc and sweep under 1, 2 and 4
# ranks print the same bytes as one process without mpirun; only rank 0
# writes the store; a rank that dies fails the run and stores nothing.
set -u
parley=$1
mpiexec=${2:-mpirun}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# Two cores: keep each rank to one thread so that 4 ranks stay quick.
export OMP_NUM_THREADS=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
check() {   # check NAME CONDITION-EXIT-STATUS
    if [ "$2" -eq 0 ]; then passed=$((passed + 1)); echo "ok   $1"
    else failed=$((failed + 1)); echo "FAIL $1"; fi
}
ranks() {   # ranks N ARGS...: parley under mpirun with N ranks
    n=$1; shift
    "$mpiexec" --oversubscribe -np "$n" "$parley" "$@"
}

# 12000 samples in blocks of 4096 = 3 blocks: with 4 ranks one has none.
mc="mc --samples 12000 --seed 7 --json --no-store --event federalisation>=50"
"$parley" $mc > "$work/mc-plain.json"
check "mc without mpirun" $?
for n in 1 2 4; do
    ranks "$n" $mc > "$work/mc-$n.json"
    cmp -s "$work/mc-plain.json" "$work/mc-$n.json"
    check "mc, $n ranks: same bytes as one process" $?
done
"$parley" mc --samples 9000 --seed 3 --no-store --keep "$work/keep-plain.csv" > /dev/null
ranks 2 mc --samples 9000 --seed 3 --no-store --keep "$work/keep-2.csv" > /dev/null
cmp -s "$work/keep-plain.csv" "$work/keep-2.csv"
check "mc --keep, 2 ranks: every sample's forecasts gathered" $?

sweep="sweep --vary Russia.capability=50:150:50 --vary neutrality.Germany.position=+-10% --samples 200 --csv"
"$parley" $sweep > "$work/sweep-plain.csv"
check "sweep without mpirun" $?
for n in 1 2 4; do
    ranks "$n" $sweep > "$work/sweep-$n.csv"
    cmp -s "$work/sweep-plain.csv" "$work/sweep-$n.csv"
    check "sweep, $n ranks: same bytes as one process" $?
done
[ "$(wc -l < "$work/sweep-plain.csv")" -eq 10 ]
check "sweep: header and 3 x 3 cases" $?

ranks 4 mc --samples 5000 --db "$work/store.db" > /dev/null
[ "$("$parley" runs list --db "$work/store.db" --json | grep -o '"id"' | wc -l)" -eq 1 ]
check "4 ranks store one run (rank 0 only)" $?

PARLEY_TEST_KILL_RANK=1 ranks 2 mc --samples 12000 --db "$work/killed.db" \
    > "$work/killed.out" 2> "$work/killed.err"
[ $? -ne 0 ]
check "a rank that dies fails the run" $?
[ ! -s "$work/killed.out" ] && [ ! -e "$work/killed.db" ]
check "a rank that dies: nothing printed, nothing stored" $?
grep -q "rank 1" "$work/killed.err"
check "a rank that dies: the message names it" $?

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
