// libedit (Debian: libedit-dev). Two faces of one library: histedit.h (EditLine, History)
// and the readline-compatible API, whose entry points are not variadic and so callable
// from Swift.
#include <stdio.h>
#include <histedit.h>
#include <editline/readline.h>
