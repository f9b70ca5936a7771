#!/usr/bin/env node
/** The `seqlab` command (placeholder while the foundation lands). */
console.log("seqlab");
