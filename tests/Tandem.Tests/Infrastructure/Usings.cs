global using Xunit;
global using Tandem.Tests.Infrastructure;
global using Microsoft.AspNetCore.Builder;
