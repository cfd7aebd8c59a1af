import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { usesExpress } from '../../../src/frameworks/express/index.js';

test('pre-filter: files that use express as a value are entries; type-only imports are not', () => {
  assert.ok(usesExpress("import express from 'express';"));
  assert.ok(usesExpress("import * as express from 'express';"));
  assert.ok(usesExpress("import express, { Request } from 'express';"));
  assert.ok(usesExpress("import { Router } from 'express';"));
  assert.ok(usesExpress("import { json, type Request } from 'express';"));
  assert.ok(usesExpress("const express = require('express');"));
  assert.ok(usesExpress("const { Router } = require(\"express\");"));
  assert.ok(usesExpress("export { Router } from 'express';"));
  assert.not.ok(usesExpress("import { Request, Response, NextFunction } from 'express';"));
  assert.not.ok(usesExpress("import type { Express } from 'express';"));
  assert.not.ok(usesExpress("import { type Router } from 'express';"));
  assert.not.ok(usesExpress('const fast = require("fastify");'));
});

test.run();
