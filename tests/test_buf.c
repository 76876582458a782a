/* test_buf.c — the growing string every text writer shares (src/core/buf.h). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "parley/alloc.h"

Test(buf, an_empty_buffer_finishes_as_the_empty_string)
{
    parley_buf b = {0};
    char *text = NULL;
    parley_error err;
    cr_assert_eq(parley_buf_finish(&b, &text, &err), PARLEY_OK);
    cr_assert_str_eq(text, "");
    cr_assert_null(b.data);
    parley_free(text);
}

Test(buf, pieces_grow_past_the_first_allocation)
{
    parley_buf b = {0};
    /* 1000 pieces of 6 bytes cross the first 256-byte block many times. */
    for (int k = 0; k < 1000; k++)
        parley_buf_printf(&b, "%03d,%s", k % 1000, "ab");
    parley_buf_append(&b, "xyz", 2);
    parley_buf_puts(&b, "!");
    char *text = NULL;
    parley_error err;
    cr_assert_eq(parley_buf_finish(&b, &text, &err), PARLEY_OK);
    cr_assert_eq(strlen(text), 6 * 1000 + 3);
    cr_assert(strncmp(text, "000,ab001,ab", 12) == 0);
    cr_assert(strncmp(text + 999 * 6, "999,abxy!", 9) == 0);
    parley_free(text);
}

Test(buf, a_long_printf_is_not_cut)
{
    char word[1000];
    memset(word, 'w', sizeof word - 1);
    word[sizeof word - 1] = '\0';
    parley_buf b = {0};
    parley_buf_puts(&b, "<");
    parley_buf_printf(&b, "%s>", word);
    char *text = NULL;
    parley_error err;
    cr_assert_eq(parley_buf_finish(&b, &text, &err), PARLEY_OK);
    cr_assert_eq(strlen(text), 1001);
    cr_assert_eq(text[1000], '>');
    parley_free(text);
}

/* A length whose sum with what is held wraps around a size_t must fail the
 * buffer, not wrap into a small allocation and write past it. */
Test(buf, a_size_that_would_overflow_fails_the_buffer)
{
    parley_buf b = {0};
    parley_buf_puts(&b, "held");
    parley_buf_append(&b, "x", SIZE_MAX - 2);
    cr_assert(b.failed);
    parley_buf_puts(&b, "ignored");
    char *text = (char *)"not touched";
    parley_error err;
    cr_assert_eq(parley_buf_finish(&b, &text, &err), PARLEY_ENOMEM);
    cr_assert_null(text);
    cr_assert_null(b.data);
}

Test(buf, a_failed_allocation_is_reported_once_at_the_end)
{
    for (long n = 1;; n++) {
        parley_buf b = {0};
        parley_alloc_fail_after(n);
        for (int k = 0; k < 200; k++)
            parley_buf_printf(&b, "%d;", k);
        char *text = NULL;
        parley_error err;
        int rc = parley_buf_finish(&b, &text, &err);
        parley_alloc_fail_after(0);
        if (rc == PARLEY_OK) {
            cr_assert_gt(n, 1);
            cr_assert(strncmp(text, "0;1;2;", 6) == 0);
            parley_free(text);
            break;
        }
        cr_assert_eq(rc, PARLEY_ENOMEM);
        cr_assert_null(text);
    }
}

Test(buf, free_releases_without_handing_over)
{
    parley_buf b = {0};
    parley_buf_puts(&b, "something");
    parley_buf_free(&b);
    cr_assert_null(b.data);
    cr_assert_eq(b.len, 0);
    parley_buf_free(&b); /* twice is harmless */
}
