#ifndef MMSIM_CNCURSES_SHIM_H
#define MMSIM_CNCURSES_SHIM_H

// SwiftPM drops pkg-config's -D flags: without these, get_wch, cchar_t and the wide functions vanish.
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <ncursesw/curses.h>
#include <locale.h>
#include <langinfo.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>

// Swift 6 refuses mutable C globals and cannot call macros: expose them as functions.
static inline WINDOW *mm_stdscr(void) { return stdscr; }
static inline int mm_lines(void) { return LINES; }
static inline int mm_cols(void) { return COLS; }

static inline int mm_attr_normal(void) { return (int)A_NORMAL; }
static inline int mm_attr_bold(void) { return (int)A_BOLD; }
static inline int mm_attr_reverse(void) { return (int)A_REVERSE; }
static inline int mm_attr_dim(void) { return (int)A_DIM; }
static inline int mm_attr_underline(void) { return (int)A_UNDERLINE; }
static inline int mm_color_pair(int pair) { return (int)COLOR_PAIR(pair); }
static inline int mm_attrset(int attrs) { return attrset(attrs); }

static inline int mm_key_code_yes(void) { return KEY_CODE_YES; }
static inline int mm_key_f(int n) { return KEY_F(n); }
static inline int mm_key_resize(void) { return KEY_RESIZE; }
static inline int mm_key_mouse(void) { return KEY_MOUSE; }

/// Button-1 press/click/release as a click; everything else is ignored.
static inline void mm_enable_mouse(void) {
    mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED, NULL);
    mouseinterval(0);
}

/// 1 with x/y set when the pending mouse event is a left-button press or click.
static inline int mm_read_click(int *x, int *y) {
    MEVENT event;
    if (getmouse(&event) != OK) return 0;
    if (!(event.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED))) return 0;
    *x = event.x;
    *y = event.y;
    return 1;
}

/// The terminal's size from the kernel, for SIGWINCH (ncurses' own handler never wakes our read source).
static inline int mm_terminal_size(int *rows, int *cols) {
    struct winsize size;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0 || size.ws_row == 0 || size.ws_col == 0) return 0;
    *rows = size.ws_row;
    *cols = size.ws_col;
    return 1;
}

/// 1 when the current locale (after setlocale) encodes UTF-8.
static inline int mm_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    if (codeset == NULL) return 0;
    return (codeset[0] == 'U' || codeset[0] == 'u') && (codeset[1] == 'T' || codeset[1] == 't') &&
           (codeset[2] == 'F' || codeset[2] == 'f');
}

// Signals reach the UI through a pipe: a handler may only write(2), and a Dispatch read source on the other
// end wakes the UI actor. (libdispatch signal sources only block the signal in one thread.)
static int mm_signal_pipe[2] = { -1, -1 };
static inline void mm_signal_to_pipe(int number) {
    int saved = errno;
    unsigned char byte = (unsigned char)number;
    if (write(mm_signal_pipe[1], &byte, 1) < 0) { /* full pipe: the UI is already awake */ }
    errno = saved;
}
/// Routes SIGWINCH, SIGTERM, SIGINT and SIGHUP into a pipe; returns its read end, or -1.
static inline int mm_install_signal_pipe(void) {
    if (mm_signal_pipe[0] < 0) {
        if (pipe(mm_signal_pipe) != 0) return -1;
        for (int i = 0; i < 2; i++) {
            fcntl(mm_signal_pipe[i], F_SETFL, fcntl(mm_signal_pipe[i], F_GETFL) | O_NONBLOCK);
            fcntl(mm_signal_pipe[i], F_SETFD, FD_CLOEXEC);
        }
    }
    int routed[] = { SIGWINCH, SIGTERM, SIGINT, SIGHUP };
    for (unsigned i = 0; i < sizeof routed / sizeof routed[0]; i++) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = mm_signal_to_pipe;
        action.sa_flags = SA_RESTART;
        sigemptyset(&action.sa_mask);
        sigaction(routed[i], &action, NULL);
    }
    return mm_signal_pipe[0];
}
/// Reads one signal number from the pipe; 0 when it is empty.
static inline int mm_read_signal(void) {
    unsigned char byte = 0;
    return read(mm_signal_pipe[0], &byte, 1) == 1 ? byte : 0;
}

// Crash safety: restore the terminal from a fatal signal, then let the previous handler (Swift's backtracer,
// or the default action) run as before.
static volatile sig_atomic_t mm_curses_active = 0;
/// Handlers replaced by ours (a function-local static: the Swift importer does not emit file-scope arrays).
static inline struct sigaction *mm_previous(void) { static struct sigaction saved[NSIG]; return saved; }
static inline void mm_set_curses_active(int on) { mm_curses_active = on; }
static inline int mm_is_curses_active(void) { return mm_curses_active; }
static inline void mm_fatal_handler(int number) {
    if (mm_curses_active) { mm_curses_active = 0; endwin(); }
    sigaction(number, &mm_previous()[number], NULL);
    raise(number);
}
static inline void mm_atexit_handler(void) {
    if (mm_curses_active) { mm_curses_active = 0; endwin(); }
}
static inline void mm_install_crash_handlers(void) {
    int fatal[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGQUIT };
    for (unsigned i = 0; i < sizeof fatal / sizeof fatal[0]; i++) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = mm_fatal_handler;
        sigemptyset(&action.sa_mask);
        sigaction(fatal[i], &action, &mm_previous()[fatal[i]]);
    }
    atexit(mm_atexit_handler);
}

#endif
