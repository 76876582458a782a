#!/bin/sh
# install_check.sh BUILD_DIR CC — installs parley into a temporary prefix and
# checks the binary, the man page, the headers and the pkg-config file by
# compiling and running a program that uses the installed library.
set -eu
build=$1
cc=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
test -x "$prefix/bin/parley"
test -f "$prefix/share/man/man1/parley.1"
test -f "$prefix/include/parley/model.h"
"$prefix/bin/parley" --version | grep -q '^parley '
pc=$(find "$prefix" -name parley.pc)
test -n "$pc"
cat > "$prefix/use.c" <<'C'
#include <parley/model.h>
#include <stdio.h>
int main(void)
{
    size_t n = 0;
    for (const parley_model *const *m = parley_models(); *m; m++)
        n++;
    printf("%zu\n", n);
    return parley_model_find("compromise") ? 0 : 1;
}
C
flags=$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --cflags --libs parley)
# shellcheck disable=SC2086
"$cc" -std=c17 "$prefix/use.c" -o "$prefix/use" $flags -Wl,-rpath,"$prefix/lib" \
    -Wl,-rpath,"$(dirname "$(dirname "$pc")")"
"$prefix/use" | grep -q '^[1-9]'
echo "install_check: ok"
