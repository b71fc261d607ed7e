import { Injectable } from '@nestjs/common';
import { UploadPurpose } from '../files/schemas/upload.schema.js';
import { uploadIdOf, UploadsService } from '../files/uploads.service.js';
import type { UpdateProfileDto } from './dto/update-profile.dto.js';
import type { ProfileChanges } from './users.repository.js';
import { UsersRepository } from './users.repository.js';
import { UsersErrors } from './users.errors.js';
import type { UserEntity, VerificationDocType } from './schemas/user.schema.js';

/** What a profile edit changes in its files, and what to release once the edit is written. */
export interface ProfileFileChanges {
  changes: Pick<ProfileChanges, 'profilePicture' | 'profilePictureUpload'>;
  portfolio?: { portfolioImageUrls: string[]; portfolioUploads: string[] };
  /** Uploads the edit stops pointing at: release them after it is written. */
  release: string[];
  /** Takes back the attachments made for the edit (its write failed). */
  undo: Array<() => Promise<void>>;
}

/**
 * The files a profile points at (API.md "Files"): the profile picture, a craftsman's portfolio
 * and verification documents. New uploads are attached before the pointer to them is written,
 * and replaced ones released after, so a failure in between never leaves a pointer to a deleted
 * file.
 */
@Injectable()
export class ProfileFilesService {
  constructor(
    private readonly usersRepository: UsersRepository,
    private readonly uploads: UploadsService,
  ) {}

  /**
   * `PUT /users/me/profile-picture`: stores the picture (cropped to 400×400), points the profile
   * at it, then deletes the picture it replaced; if the pointer can't be written, the new file
   * is deleted instead.
   *
   * @throws as `UploadsService.upload` (415, 413); NOT_FOUND when the user is gone
   */
  async replaceProfilePicture(userId: string, file: Buffer): Promise<UserEntity> {
    const upload = await this.uploads.upload(userId, UploadPurpose.ProfilePicture, file);
    await this.uploads.attach({ owner: userId, uploads: [upload] });
    let previous: UserEntity | null;
    try {
      previous = await this.usersRepository.setProfilePicture(userId, {
        url: upload.url ?? '',
        uploadId: upload.id,
      });
    } catch (error) {
      await this.uploads.deleteNow(upload);
      throw error;
    }
    if (!previous) {
      await this.uploads.deleteNow(upload);
      throw UsersErrors.notFound();
    }
    if (previous.profilePictureUpload) {
      await this.uploads.deleteNowById(previous.profilePictureUpload);
    }
    // the user as the write left him: nothing else of his changed in it
    return {
      ...previous,
      profilePicture: upload.url ?? undefined,
      profilePictureUpload: upload.id,
    };
  }

  /**
   * The picture and portfolio of a `PUT /users/me`: entries that are upload ids of the user's
   * become their URLs (URLs typed by hand are kept as they are, for apps not yet uploading).
   * Uploads new to the profile are attached here.
   *
   * @throws as `UploadsService.resolve` (404, 403, 400 UPLOAD_PURPOSE_MISMATCH, 409 UPLOAD_IN_USE)
   */
  async profileChanges(user: UserEntity, input: UpdateProfileDto): Promise<ProfileFileChanges> {
    const result: ProfileFileChanges = { changes: {}, release: [], undo: [] };
    if (input.profilePicture) {
      await this.pictureChange(user, input.profilePicture, result);
    }
    const portfolio = input.craftsmanInfo?.portfolioImageUrls;
    if (portfolio && user.craftsmanInfo) {
      const list = await this.uploads.resolveImageList({
        owner: user.id,
        purpose: UploadPurpose.Portfolio,
        entries: portfolio,
        current: user.craftsmanInfo.portfolioUploads ?? [],
      });
      const attachment = await this.uploads.attach({ owner: user.id, uploads: list.added });
      result.undo.push(() => attachment.undo());
      result.portfolio = { portfolioImageUrls: list.urls, portfolioUploads: list.uploadIds };
      result.release.push(...list.removed);
    }
    return result;
  }

  /** Releases what an edit stopped pointing at (after it is written). */
  async released(changes: ProfileFileChanges): Promise<void> {
    await this.uploads.release(changes.release);
  }

  /** The edit was not written: its new uploads are pending again. */
  async notWritten(changes: ProfileFileChanges): Promise<void> {
    for (const undo of changes.undo) {
      await undo();
    }
  }

  /**
   * The documents of a verification request: the craftsman's own `verification_doc` uploads,
   * attached before they are written; the documents of an earlier request are released after.
   *
   * @throws as `UploadsService.resolve`; ALREADY_VERIFIED
   */
  async submitVerification(
    user: UserEntity,
    docs: Array<{ docType: VerificationDocType; fileId: string }>,
    at: Date,
  ): Promise<UserEntity> {
    if (new Set(docs.map((doc) => doc.fileId)).size < docs.length) {
      throw UsersErrors.invalidProfile([
        { field: 'docs', message: 'each document (fileId) may be given once' },
      ]);
    }
    const current = (user.craftsmanInfo?.verificationDocs ?? []).flatMap((doc) =>
      doc.fileId ? [doc.fileId] : [],
    );
    const { uploads } = await this.uploads.resolve({
      owner: user.id,
      purpose: UploadPurpose.VerificationDoc,
      ids: docs.map((doc) => doc.fileId),
      alreadyMine: current,
    });
    const updated = await this.uploads.attachWhile({ owner: user.id, uploads }, () =>
      this.usersRepository.submitVerification(user.id, docs, at),
    );
    if (!updated) {
      throw UsersErrors.alreadyVerified();
    }
    const kept = new Set(docs.map((doc) => doc.fileId));
    await this.uploads.release(current.filter((id) => !kept.has(id)));
    return updated;
  }

  private async pictureChange(
    user: UserEntity,
    picture: string,
    result: ProfileFileChanges,
  ): Promise<void> {
    const current = user.profilePictureUpload;
    if (picture === user.profilePicture) {
      return;
    }
    const uploadId = uploadIdOf(picture);
    if (!uploadId) {
      result.changes = { profilePicture: picture, profilePictureUpload: null };
      result.release.push(...(current ? [current] : []));
      return;
    }
    const { uploads } = await this.uploads.resolve({
      owner: user.id,
      purpose: UploadPurpose.ProfilePicture,
      ids: [uploadId],
      alreadyMine: current ? [current] : [],
    });
    const [upload] = uploads;
    if (!upload || upload.id === current) {
      return;
    }
    const attachment = await this.uploads.attach({ owner: user.id, uploads: [upload] });
    result.undo.push(() => attachment.undo());
    result.changes = { profilePicture: upload.url ?? undefined, profilePictureUpload: upload.id };
    result.release.push(...(current ? [current] : []));
  }
}
