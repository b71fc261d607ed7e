import { redactCredentials } from './redact-credentials.js';

describe(redactCredentials.name, () => {
  it('should hide the user and password of a connection string in logs', () => {
    expect(redactCredentials('mongodb+srv://user:secret@cluster.example.net/app')).toBe(
      'mongodb+srv://***@cluster.example.net/app',
    );
  });

  it('should hide the credentials of an SMTP or Redis URL', () => {
    expect(redactCredentials('smtps://mailer:p%40ss@smtp.example.com:465')).toBe(
      'smtps://***@smtp.example.com:465',
    );
    expect(redactCredentials('redis://:secret@127.0.0.1:6379/0')).toBe(
      'redis://***@127.0.0.1:6379/0',
    );
  });

  it('should leave a URL without credentials as it is', () => {
    expect(redactCredentials('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
