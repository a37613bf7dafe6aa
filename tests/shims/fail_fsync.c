/* An LD_PRELOAD shim for tests/io_error.rs: while the file named by
 * QPRM_FAIL_FSYNC_IF exists, the next fsync or fdatasync removes it and
 * fails with EIO, as a failing disk does. Every other call is the real one. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

static int fail_now(void) {
    const char *t = getenv("QPRM_FAIL_FSYNC_IF");
    return t && unlink(t) == 0;
}

int fsync(int fd) {
    if (fail_now()) { errno = EIO; return -1; }
    int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    return real(fd);
}

int fdatasync(int fd) {
    if (fail_now()) { errno = EIO; return -1; }
    int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    return real(fd);
}
