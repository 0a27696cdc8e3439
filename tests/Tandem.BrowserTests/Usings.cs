global using Xunit;
global using Microsoft.Playwright;
