/*
 * eintrfs: a FUSE filesystem for EintrRetryTest. It holds one regular file, "f". A line "FALLOCATE" or
 * "READ" on stdin arms a trap: the next request of that kind is held, unanswered, until the kernel
 * interrupts it (the calling thread got a signal), and then answered with EINTR, so that the system
 * call returns EINTR, which local filesystems never do for these calls. Other requests are carried
 * out. Every event is a line on stdout, for the test to wait on: READY eintrfs, ARMED <op>, HELD <op> <n>,
 * INTERRUPTED <op> <n>, DONE <op> <n>.
 *
 * Usage: eintrfs MOUNTPOINT   (runs in the foreground until unmounted)
 */
#define _GNU_SOURCE /* FALLOC_FL_KEEP_SIZE */
#define FUSE_USE_VERSION 34
#include <fuse_lowlevel.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILE_INO 2
#define DATA_SIZE 65536

static off_t file_size = DATA_SIZE;
static char data[DATA_SIZE];
static int fallocates;
static int reads;
static atomic_int fallocate_armed;
static atomic_int read_armed;
static pthread_mutex_t out = PTHREAD_MUTEX_INITIALIZER;

static void say(const char *event, const char *op, int n) {
    pthread_mutex_lock(&out);
    if (n > 0) {
        printf("%s %s %d\n", event, op, n);
    } else {
        printf("%s %s\n", event, op);
    }
    fflush(stdout);
    pthread_mutex_unlock(&out);
}

/* Reads the test's commands: each arms the trap for one request of its kind. */
static void *commands(void *unused) {
    (void) unused;
    char line[64];
    while (fgets(line, sizeof line, stdin) != NULL) {
        if (strcmp(line, "FALLOCATE\n") == 0) {
            atomic_store(&fallocate_armed, 1);
            say("ARMED", "FALLOCATE", 0);
        } else if (strcmp(line, "READ\n") == 0) {
            atomic_store(&read_armed, 1);
            say("ARMED", "READ", 0);
        }
    }
    return NULL;
}

static void fill_attr(fuse_ino_t ino, struct stat *st) {
    memset(st, 0, sizeof *st);
    st->st_ino = ino;
    if (ino == FUSE_ROOT_ID) {
        st->st_mode = S_IFDIR | 0755;
        st->st_nlink = 2;
    } else {
        st->st_mode = S_IFREG | 0644;
        st->st_nlink = 1;
        st->st_size = file_size;
        st->st_blocks = (file_size + 511) / 512;
    }
    st->st_blksize = 4096;
}

static void on_interrupt(fuse_req_t req, void *op) {
    say("INTERRUPTED", (const char *) op, strcmp(op, "FALLOCATE") == 0 ? fallocates : reads);
    fuse_reply_err(req, EINTR);
}

/*
 * When the trap is armed, disarms it and leaves the request unanswered until the kernel sends
 * FUSE_INTERRUPT for it; returns whether it did.
 */
static int held(fuse_req_t req, atomic_int *armed, const char *op, int n) {
    if (!atomic_exchange(armed, 0)) {
        return 0;
    }
    say("HELD", op, n);
    fuse_req_interrupt_func(req, on_interrupt, (void *) op);
    return 1;
}

static void ef_lookup(fuse_req_t req, fuse_ino_t parent, const char *name) {
    if (parent != FUSE_ROOT_ID || strcmp(name, "f") != 0) {
        fuse_reply_err(req, ENOENT);
        return;
    }
    struct fuse_entry_param e;
    memset(&e, 0, sizeof e);
    e.ino = FILE_INO;
    fill_attr(FILE_INO, &e.attr);
    fuse_reply_entry(req, &e);
}

static void ef_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
    (void) fi;
    struct stat st;
    fill_attr(ino, &st);
    fuse_reply_attr(req, &st, 0);
}

static void ef_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
    (void) ino;
    fi->direct_io = 1; /* every read reaches us: no page cache in between */
    fuse_reply_open(req, fi);
}

static void ef_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi) {
    (void) ino;
    (void) fi;
    int n = ++reads;
    if (held(req, &read_armed, "READ", n)) {
        return;
    }
    size_t len = 0;
    off_t end = file_size < DATA_SIZE ? file_size : DATA_SIZE; /* past the data: end of file */
    if (off < end) {
        len = (size_t) (end - off) < size ? (size_t) (end - off) : size;
    }
    say("DONE", "READ", n);
    fuse_reply_buf(req, data + (off < end ? off : 0), len);
}

static void ef_fallocate(fuse_req_t req, fuse_ino_t ino, int mode, off_t off, off_t len, struct fuse_file_info *fi) {
    (void) ino;
    (void) fi;
    int n = ++fallocates;
    if (held(req, &fallocate_armed, "FALLOCATE", n)) {
        return;
    }
    if (!(mode & FALLOC_FL_KEEP_SIZE) && off + len > file_size) {
        file_size = off + len;
    }
    say("DONE", "FALLOCATE", n);
    fuse_reply_err(req, 0);
}

static void ef_statfs(fuse_req_t req, fuse_ino_t ino) {
    (void) ino;
    struct statvfs s;
    memset(&s, 0, sizeof s);
    s.f_bsize = 4096;
    s.f_frsize = 4096;
    s.f_blocks = 1 << 20;
    s.f_bfree = 1 << 19;
    s.f_bavail = 1 << 19;
    s.f_namemax = 255;
    fuse_reply_statfs(req, &s);
}

static const struct fuse_lowlevel_ops ops = {
    .lookup = ef_lookup,
    .getattr = ef_getattr,
    .open = ef_open,
    .read = ef_read,
    .fallocate = ef_fallocate,
    .statfs = ef_statfs,
};

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s MOUNTPOINT\n", argv[0]);
        return 2;
    }
    for (int i = 0; i < DATA_SIZE; i++) {
        data[i] = (char) ('a' + i % 26);
    }
    char *fuse_argv[] = {argv[0], NULL};
    struct fuse_args args = FUSE_ARGS_INIT(1, fuse_argv);
    struct fuse_session *se = fuse_session_new(&args, &ops, sizeof ops, NULL);
    if (se == NULL || fuse_set_signal_handlers(se) != 0 || fuse_session_mount(se, argv[1]) != 0) {
        return 1;
    }
    pthread_t reader;
    if (pthread_create(&reader, NULL, commands, NULL) != 0) {
        return 1;
    }
    say("READY", "eintrfs", 0);
    int rc = fuse_session_loop(se);
    fuse_session_unmount(se);
    fuse_remove_signal_handlers(se);
    fuse_session_destroy(se);
    return rc == 0 ? 0 : 1;
}
