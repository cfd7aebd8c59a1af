import { app } from './app';
import { config } from './config/env';

const server = app.listen(config.port, () => {
  console.log(`shopfront-api listening on :${config.port}`);
});

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
});
