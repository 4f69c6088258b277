/* Counting the lines of a block that hold any of a few literal needles, in C.
 *
 * The Python loop in counting.py costs a few calls per candidate; here each needle is found
 * by memchr on its rarest byte and memcmp, and after a hit the rest of the line is skipped,
 * so the cost is per byte at memchr speed. Optional: counting.py falls back to Python when
 * this module was not built. The GIL is released while counting.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#define MAX_NEEDLES 16

typedef struct {
    const char *bytes;
    Py_ssize_t size;
    Py_ssize_t at; /* offset of the byte memchr looks for */
    Py_ssize_t next; /* start of the next occurrence at or after the search point; -1: none */
} Needle;

/* Start of the first occurrence of the needle in data[pos:end], or -1. */
static Py_ssize_t next_hit(const char *data, Py_ssize_t pos, Py_ssize_t end, const Needle *n)
{
    Py_ssize_t cur = pos + n->at;
    Py_ssize_t last = end - n->size + n->at; /* last place the byte can be for a whole needle */
    const char byte = n->bytes[n->at];
    while (cur <= last) {
        const char *hit = memchr(data + cur, byte, (size_t)(last - cur + 1));
        if (hit == NULL)
            return -1;
        Py_ssize_t start = (hit - data) - n->at;
        if (memcmp(data + start, n->bytes, (size_t)n->size) == 0)
            return start;
        cur = (hit - data) + 1;
    }
    return -1;
}

static Py_ssize_t count(const char *data, Py_ssize_t end, Needle *needles, Py_ssize_t k)
{
    Py_ssize_t lines = 0;
    for (Py_ssize_t i = 0; i < k; i++)
        needles[i].next = next_hit(data, 0, end, &needles[i]);
    for (;;) {
        Py_ssize_t first = -1;
        for (Py_ssize_t i = 0; i < k; i++)
            if (needles[i].next >= 0 && (first < 0 || needles[i].next < first))
                first = needles[i].next;
        if (first < 0)
            return lines;
        lines++;
        const char *nl = memchr(data + first, '\n', (size_t)(end - first));
        if (nl == NULL)
            return lines;
        Py_ssize_t stop = nl - data;
        for (Py_ssize_t i = 0; i < k; i++) /* the rest of this line is not needed */
            if (needles[i].next >= 0 && needles[i].next <= stop)
                needles[i].next = next_hit(data, stop + 1, end, &needles[i]);
    }
}

PyDoc_STRVAR(count_lines_doc,
    "count_lines(data, end, needles, offsets) -> int\n\n"
    "Lines of data[:end] holding any of the needles (bytes, none empty, none with a newline),\n"
    "each found by memchr on its byte at the matching offset.");

static PyObject *count_lines(PyObject *self, PyObject *args)
{
    Py_buffer view;
    Py_ssize_t end;
    PyObject *needles, *offsets;
    if (!PyArg_ParseTuple(args, "y*nO!O!", &view, &end, &PyTuple_Type, &needles, &PyTuple_Type,
                          &offsets))
        return NULL;
    Needle found[MAX_NEEDLES];
    Py_ssize_t k = PyTuple_GET_SIZE(needles);
    PyObject *result = NULL;
    if (k > MAX_NEEDLES || k != PyTuple_GET_SIZE(offsets)) {
        PyErr_SetString(PyExc_ValueError, "needles and offsets: same length, at most 16");
        goto done;
    }
    if (end < 0 || end > view.len)
        end = view.len;
    for (Py_ssize_t i = 0; i < k; i++) {
        PyObject *needle = PyTuple_GET_ITEM(needles, i);
        if (!PyBytes_Check(needle)) {
            PyErr_SetString(PyExc_TypeError, "needles must be bytes");
            goto done;
        }
        found[i].bytes = PyBytes_AS_STRING(needle);
        found[i].size = PyBytes_GET_SIZE(needle);
        found[i].at = PyLong_AsSsize_t(PyTuple_GET_ITEM(offsets, i));
        if (found[i].at == -1 && PyErr_Occurred())
            goto done;
        if (found[i].size == 0 || found[i].at < 0 || found[i].at >= found[i].size ||
            memchr(found[i].bytes, '\n', (size_t)found[i].size) != NULL) {
            PyErr_SetString(PyExc_ValueError, "a needle is empty, holds a newline, or its offset is outside it");
            goto done;
        }
    }
    Py_ssize_t lines;
    Py_BEGIN_ALLOW_THREADS
    lines = count((const char *)view.buf, end, found, k);
    Py_END_ALLOW_THREADS
    result = PyLong_FromSsize_t(lines);
done:
    PyBuffer_Release(&view);
    return result;
}

static PyMethodDef methods[] = {
    {"count_lines", count_lines, METH_VARARGS, count_lines_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_linecount", "Counting lines that hold literal needles, in C.", -1,
    methods,
};

PyMODINIT_FUNC PyInit__linecount(void) { return PyModule_Create(&module); }
