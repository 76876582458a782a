#!/bin/sh
# bench_mpi.sh PARLEY [MODEL] [SAMPLES] — Monte Carlo samples per second of
# `mpirun -np N parley mc` for N = 1, 2, 4 (one OpenMP thread per rank), the
# parallel efficiency against 1 rank, and one process with 1 and 2 threads
# for comparison.  Wall-clock time of the whole command, MPI start-up
# included.  Prints figures; asserts nothing.  Needs the MPI build
# (-DPARLEY_MPI=ON).
set -u
parley=${1:?usage: bench_mpi.sh PARLEY [MODEL] [SAMPLES]}
model=${2:-eu}
samples=${3:-200000}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
args="mc --model $model --samples $samples --no-store --json"
seconds() {   # seconds COMMAND...: wall time of the best of 3
    best=""
    for try in 1 2 3; do
        start=$(date +%s.%N)
        "$@" > /dev/null || exit 1
        end=$(date +%s.%N)
        t=$(echo "$end - $start" | bc -l)
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" -eq 1 ]; then best=$t; fi
    done
    echo "$best"
}
echo "model $model, $samples samples, $(nproc) cores; best of 3 wall-clock runs"
printf "%-28s %10s %14s %11s\n" "how" "seconds" "samples/s" "efficiency"
base=""
for n in 1 2 4; do
    t=$(OMP_NUM_THREADS=1 seconds mpirun --oversubscribe -np "$n" "$parley" $args)
    [ -z "$base" ] && base=$t
    printf "%-28s %10.3f %14.0f %10.0f%%\n" "mpirun -np $n, 1 thread" "$t" \
        "$(echo "$samples / $t" | bc -l)" "$(echo "100 * $base / ($t * $n)" | bc -l)"
done
for threads in 1 2; do
    t=$(seconds "$parley" $args --threads "$threads")
    printf "%-28s %10.3f %14.0f %10.0f%%\n" "one process, $threads thread(s)" "$t" \
        "$(echo "$samples / $t" | bc -l)" "$(echo "100 * $base / ($t * $threads)" | bc -l)"
done
echo "efficiency = T(1 rank) / (N x T(N)); on 2 cores N = 4 oversubscribes, so its ideal is 50%."
