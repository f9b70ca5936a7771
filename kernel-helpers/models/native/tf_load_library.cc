/*
 * A tiny Node-API addon with one function, loadLibrary(path), that registers a TensorFlow
 * custom-op library in the running process through the C API's TF_LoadLibrary. Ops it
 * registers can then be run by name through tfjs-node's backend.
 */
#include <node_api.h>
#include <stdlib.h>

#include "tensorflow/c/c_api.h"

static napi_value LoadLibrary(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1) {
    napi_throw_type_error(env, NULL, "loadLibrary(path) needs a path");
    return NULL;
  }
  size_t len = 0;
  if (napi_get_value_string_utf8(env, argv[0], NULL, 0, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "loadLibrary(path): path must be a string");
    return NULL;
  }
  char* path = (char*)malloc(len + 1);
  napi_get_value_string_utf8(env, argv[0], path, len + 1, &len);
  TF_Status* status = TF_NewStatus();
  TF_Library* lib = TF_LoadLibrary(path, status);
  free(path);
  if (TF_GetCode(status) != TF_OK || lib == NULL) {
    napi_throw_error(env, NULL, TF_Message(status));
    TF_DeleteStatus(status);
    return NULL;
  }
  /* The library stays loaded for the life of the process; its handle is not freed. */
  TF_DeleteStatus(status);
  napi_value result;
  napi_get_boolean(env, true, &result);
  return result;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "loadLibrary", NAPI_AUTO_LENGTH, LoadLibrary, NULL, &fn);
  napi_set_named_property(env, exports, "loadLibrary", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
