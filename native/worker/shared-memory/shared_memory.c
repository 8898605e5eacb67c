/*
 * The tensor rings as shared memory (Linux): the agent and the worker map the
 * same unlinked /dev/shm file and copy tensors in and out with memcpy, where
 * pread/pwrite through the page cache cost 10-40 us per 128 KiB here.
 *
 * Only copies cross into JavaScript, never an external ArrayBuffer over the
 * mapping: Electron's V8 memory cage refuses those, a copy of 128 KiB costs
 * 2 to 10 us, and onnxruntime ran slower on inputs read straight from the
 * mapping than on the worker's cached copy (ARCHITECTURE.md).
 *
 * Every offset is checked against the mapping's length, and a file is mapped
 * only when it is at least that long, so no access can fall past its end
 * (SIGBUS). The rings come from createRing: memory files whose pages are
 * allocated up front (running out fails there, with an error, not as SIGBUS
 * on a later write) and whose size is sealed (a worker cannot shrink one
 * under the agent's mapping).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Marks our mapping handles, so no other external value is ever taken for one. */
static const napi_type_tag MAPPING_TAG = {0x69646c6568697665ULL, 0x72696e6773686d31ULL};

typedef struct {
  uint8_t *address;
  size_t length;
  int writable;
} Mapping;

static napi_value throw_error(napi_env env, const char *code, const char *message) {
  napi_throw_error(env, code, message);
  return NULL;
}

static napi_value throw_errno(napi_env env, const char *what, int error) {
  char message[256];
  snprintf(message, sizeof message, "%s: %s", what, strerror(error));
  const char *code = error == ENOSPC ? "ENOSPC" : error == EBADF ? "EBADF" : "ESHAREDMEMORY";
  return throw_error(env, code, message);
}

/* The call's first `count` arguments into argv; false when it was given fewer. */
static bool get_arguments(napi_env env, napi_callback_info info, size_t count, napi_value *argv) {
  size_t argc = count;
  return napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok && argc >= count;
}

static int get_size(napi_env env, napi_value value, size_t *out) {
  double number;
  if (napi_get_value_double(env, value, &number) != napi_ok || number < 0 || number > 9007199254740991.0 ||
      number != (double)(uint64_t)number) {
    return 0;
  }
  *out = (size_t)number;
  return 1;
}

static int get_fd(napi_env env, napi_value value, int *out) {
  int32_t fd;
  if (napi_get_value_int32(env, value, &fd) != napi_ok || fd < 0) return 0;
  *out = fd;
  return 1;
}

static void unmap_mapping(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  Mapping *mapping = data;
  if (mapping->address != NULL) munmap(mapping->address, mapping->length);
  free(mapping);
}

/* The mapping behind a handle of ours, or NULL for any other value. */
static Mapping *mapping_of(napi_env env, napi_value value) {
  bool is_mapping = false;
  void *data = NULL;
  if (napi_check_object_type_tag(env, value, &MAPPING_TAG, &is_mapping) != napi_ok || !is_mapping ||
      napi_get_value_external(env, value, &data) != napi_ok) {
    return NULL;
  }
  return data;
}

/*
 * createRing(byteLength): a descriptor of a new anonymous memory file of that
 * size, its pages allocated now and sealed so that nobody holding a
 * descriptor (the worker included) can shrink or grow it: a mapping of it can
 * then never reach past its end. Its mode is read-only for its owner, so no
 * one without CAP_DAC_OVERRIDE can reopen it (through /proc/self/fd) for the
 * writing that the descriptor handed to them does not allow.
 */
static napi_value create_ring(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  size_t length;
  if (!get_arguments(env, info, 1, argv) || !get_size(env, argv[0], &length) || length == 0) {
    return throw_error(env, "EINVAL", "createRing(byteLength) needs a positive length");
  }
  int fd = memfd_create("idlehive-tensor-ring", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return throw_errno(env, "creating the ring", errno);
  int error = 0;
  const char *step = NULL;
  if (ftruncate(fd, (off_t)length) != 0) {
    error = errno;
    step = "sizing the ring";
  } else if (fchmod(fd, S_IRUSR) != 0) {
    error = errno;
    step = "making the ring read-only to reopen";
  } else if ((error = posix_fallocate(fd, 0, (off_t)length)) != 0) {
    step = "reserving the ring's memory";
  } else if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
    error = errno;
    step = "sealing the ring's size";
  }
  if (step != NULL) {
    close(fd);
    return throw_errno(env, step, error);
  }
  napi_value result;
  napi_create_int32(env, fd, &result);
  return result;
}

/* map(fd, byteLength, writable): a handle to the file's first byteLength bytes, mapped shared. */
static napi_value map(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int fd;
  size_t length;
  bool writable = false;
  if (!get_arguments(env, info, 3, argv) || !get_fd(env, argv[0], &fd) || !get_size(env, argv[1], &length) || length == 0 ||
      napi_get_value_bool(env, argv[2], &writable) != napi_ok) {
    return throw_error(env, "EINVAL", "map(fd, byteLength, writable) needs a descriptor, a positive length and a boolean");
  }
  struct stat status;
  if (fstat(fd, &status) != 0) return throw_errno(env, "reading the ring's size", errno);
  if (!S_ISREG(status.st_mode) || (uint64_t)status.st_size < (uint64_t)length) {
    return throw_error(env, "ESHORTFILE", "the ring's file is shorter than the mapping asked for");
  }
  void *address = mmap(NULL, length, writable ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, fd, 0);
  if (address == MAP_FAILED) return throw_errno(env, "mapping the ring", errno);
  Mapping *mapping = malloc(sizeof *mapping);
  if (mapping == NULL) {
    munmap(address, length);
    return throw_error(env, "ENOMEM", "no memory for the mapping's record");
  }
  mapping->address = address;
  mapping->length = length;
  mapping->writable = writable;
  napi_value handle;
  if (napi_create_external(env, mapping, unmap_mapping, NULL, &handle) != napi_ok) {
    unmap_mapping(env, mapping, NULL);
    return throw_error(env, "ENOMEM", "no memory for the mapping's handle");
  }
  napi_type_tag_object(env, handle, &MAPPING_TAG);
  return handle;
}

/* The mapping, the offset and the bytes of a typed array, checked to fit inside it. */
static int copy_arguments(napi_env env, napi_callback_info info, Mapping **mapping, size_t *offset, uint8_t **bytes,
                          size_t *length) {
  napi_value argv[3];
  Mapping *found = get_arguments(env, info, 3, argv) ? mapping_of(env, argv[0]) : NULL;
  bool is_typed_array = false;
  if (found == NULL || !get_size(env, argv[1], offset) ||
      napi_is_typedarray(env, argv[2], &is_typed_array) != napi_ok || !is_typed_array) {
    throw_error(env, "EINVAL", "expected (mapping, offset, typedArray)");
    return 0;
  }
  napi_typedarray_type type;
  size_t elements;
  void *view;
  napi_value buffer;
  size_t byte_offset;
  if (napi_get_typedarray_info(env, argv[2], &type, &elements, &view, &buffer, &byte_offset) != napi_ok) {
    throw_error(env, "EINVAL", "the typed array could not be read");
    return 0;
  }
  // Bytes only: the caller views any typed array as a Uint8Array first, so no element size is guessed here.
  if (type != napi_uint8_array) {
    throw_error(env, "EINVAL", "expected the bytes as a Uint8Array");
    return 0;
  }
  *mapping = found;
  if ((*mapping)->address == NULL) {
    throw_error(env, "EINVAL", "the mapping is closed");
    return 0;
  }
  *bytes = view;
  *length = elements;
  if (*offset > (*mapping)->length || *length > (*mapping)->length - *offset) {
    throw_error(env, "ERANGE", "the bytes do not fit inside the ring");
    return 0;
  }
  return 1;
}

/* write(mapping, offset, typedArray): the array's bytes into the mapping at offset. */
static napi_value write_bytes(napi_env env, napi_callback_info info) {
  Mapping *mapping;
  size_t offset, length;
  uint8_t *bytes;
  if (!copy_arguments(env, info, &mapping, &offset, &bytes, &length)) return NULL;
  if (!mapping->writable) return throw_error(env, "EACCES", "the ring is mapped read-only");
  if (length > 0) memcpy(mapping->address + offset, bytes, length);
  return NULL;
}

/* read(mapping, offset, typedArray): the mapping's bytes at offset into the array. */
static napi_value read_bytes(napi_env env, napi_callback_info info) {
  Mapping *mapping;
  size_t offset, length;
  uint8_t *bytes;
  if (!copy_arguments(env, info, &mapping, &offset, &bytes, &length)) return NULL;
  if (length > 0) memcpy(bytes, mapping->address + offset, length);
  return NULL;
}

/* unmap(mapping): the mapping released now rather than when the handle is collected. */
static napi_value unmap(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  Mapping *mapping = get_arguments(env, info, 1, argv) ? mapping_of(env, argv[0]) : NULL;
  if (mapping == NULL) return throw_error(env, "EINVAL", "expected (mapping)");
  if (mapping->address != NULL) munmap(mapping->address, mapping->length);
  mapping->address = NULL;
  return NULL;
}

/*
 * releaseFreeHeap(): hands malloc's free pages back to the kernel and says
 * whether it could. The worker calls it once a model is loaded: building a
 * session frees far more than it keeps (the IPC message, onnxruntime's parse
 * of the model), glibc keeps what was freed, and every page still mapped when
 * a preemption kills the worker is one the kernel must free first.
 */
static napi_value release_free_heap(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
#ifdef __GLIBC__
  malloc_trim(0);
  napi_get_boolean(env, true, &result);
#else
  napi_get_boolean(env, false, &result);
#endif
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"createRing", NULL, create_ring, NULL, NULL, NULL, napi_enumerable, NULL},
      {"map", NULL, map, NULL, NULL, NULL, napi_enumerable, NULL},
      {"write", NULL, write_bytes, NULL, NULL, NULL, napi_enumerable, NULL},
      {"read", NULL, read_bytes, NULL, NULL, NULL, napi_enumerable, NULL},
      {"unmap", NULL, unmap, NULL, NULL, NULL, napi_enumerable, NULL},
      {"releaseFreeHeap", NULL, release_free_heap, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
