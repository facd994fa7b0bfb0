import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'squad-mcp:public';

/** Opts a controller or route out of API-key authentication (docs, health, metrics). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
