{
  "targets": [
    {
      "target_name": "idlehive_shared_memory",
      "sources": ["shared_memory.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
